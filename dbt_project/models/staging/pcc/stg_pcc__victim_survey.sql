{#- Victim satisfaction survey responses received in the month (victims are surveyed 6-12 weeks after the crime is
    recorded), one per crime. The 7-point answer is kept as published, with its position on the scale and whether it
    counts as satisfied (completely, very or fairly satisfied). -#}
with source as (

    select * from {{ source('raw', 'pcc_victim_survey') }}

),

force_aliases as (

    select force_name, area_code
    from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

renamed as (

    select
        crime_reference,
        response_date,
        cast(date_trunc('month', response_date) as date) as response_month,
        trim(force_name) as force_name,
        offence_group,
        domestic_abuse = '1' as is_domestic_abuse,
        victim_sex,
        victim_age,
        whole_experience,
        case whole_experience
            when 'Completely satisfied' then 1
            when 'Very satisfied' then 2
            when 'Fairly satisfied' then 3
            when 'Neither satisfied nor dissatisfied' then 4
            when 'Fairly dissatisfied' then 5
            when 'Very dissatisfied' then 6
            when 'Completely dissatisfied' then 7
        end as whole_experience_scale_point,
        whole_experience in ('Completely satisfied', 'Very satisfied', 'Fairly satisfied') as is_satisfied,
        whole_experience in ('Fairly dissatisfied', 'Very dissatisfied', 'Completely dissatisfied') as is_dissatisfied,
        case kept_informed when 'Yes' then true when 'No' then false end as is_kept_informed,
        case treated_fairly when 'Yes' then true when 'No' then false end as is_treated_fairly,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

responses_with_area as (

    select
        renamed.crime_reference,
        renamed.response_date,
        renamed.response_month,
        renamed.force_name,
        force_aliases.area_code,
        renamed.* exclude (crime_reference, response_date, response_month, force_name)
    from renamed
    left join force_aliases
        on renamed.force_name = force_aliases.force_name

)

select * from responses_with_area
