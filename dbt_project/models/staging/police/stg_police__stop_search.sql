with source as (

    select * from {{ source('raw', 'police_stop_search') }}

),

renamed as (

    select
        search_id,
        search_type,
        search_date,
        search_timestamp,
        trim(force_name) as force_name,
        gender,
        age_range,
        self_defined_ethnicity,
        officer_defined_ethnicity,
        legislation,
        object_of_search,
        outcome,
        outcome = 'Arrest' as ended_in_arrest,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
