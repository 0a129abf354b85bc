with source as (

    select * from {{ source('raw', 'hmcts_outstanding') }}

),

renamed as (

    select
        case court_type when 'Crown Court' then 'CC' else 'MC' end as court_type,
        court_code,
        court_name,
        case_number,
        {{ normalise_urn('urn') }} as urn_key,
        receipt_date,
        age_days,
        as_at_date,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
