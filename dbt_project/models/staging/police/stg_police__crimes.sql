with source as (

    select * from {{ source('raw', 'police_crimes') }}

),

renamed as (

    select
        trim(force_name) as force_name,
        crime_reference,
        record_status = 'New' as is_new_record,
        recorded_date,
        offence_date,
        offence_code,
        offence_description,
        offence_group,
        da_flag = 'Y' as is_domestic_abuse,
        hate_flag = 'Y' as is_hate_crime,
        rasso_flag = 'Y' as is_rasso,
        victim_sex,
        victim_age,
        victim_ethnicity as victim_ethnicity_code,
        suspects_identified,
        outcome_code,
        outcome_date,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
