{#- Public confidence survey: residents' answers in the month to "How good a job are the police in this area doing?".
    The answer is kept as published; confident = Excellent or Good, over every response (Don't know included). -#}
with source as (

    select * from {{ source('raw', 'pcc_public_confidence') }}

),

force_aliases as (

    select force_name, area_code
    from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

renamed as (

    select
        response_id,
        response_date,
        cast(date_trunc('month', response_date) as date) as response_month,
        trim(force_name) as force_name,
        age_band,
        case sex when 'Female' then 'female' when 'Male' then 'male' end as sex,
        police_doing_good_job,
        police_doing_good_job in ('Excellent', 'Good') as is_excellent_or_good,
        police_doing_good_job in ('Poor', 'Very poor') as is_poor_or_very_poor,
        police_doing_good_job = 'Don''t know' as is_dont_know,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

responses_with_area as (

    select
        renamed.response_id,
        renamed.response_date,
        renamed.response_month,
        renamed.force_name,
        force_aliases.area_code,
        renamed.* exclude (response_id, response_date, response_month, force_name)
    from renamed
    left join force_aliases
        on renamed.force_name = force_aliases.force_name

)

select * from responses_with_area
