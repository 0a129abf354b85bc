with source as (

    select * from {{ source('raw', 'police_live_caseload') }}

),

renamed as (

    select
        trim(force_name) as force_name,
        snapshot_date,
        cast(date_trunc('month', snapshot_date) as date) as snapshot_month,
        crime_reference,
        {{ normalise_urn("urn") }} as urn_key,
        suspect_id as suspect_key,
        suspect_pnc_id as suspect_pnc_key,
        offence_code,
        recorded_date,
        case status
            when 'Under investigation' then 'under_investigation'
            when 'Pre-charge bail' then 'pre_charge_bail'
            when 'Released under investigation' then 'released_under_investigation'
            when 'Charged - awaiting court' then 'charged_awaiting_court'
        end as caseload_status,
        status_date,
        days_in_status,
        da_flag = 'Y' as is_domestic_abuse,
        hate_flag = 'Y' as is_hate_crime,
        rasso_flag = 'Y' as is_rasso,
        youth_suspect_flag = 'Y' as is_youth_suspect,
        _source_file,
        _file_sha256,
        _line_number,
        _reporting_month,
        _loaded_at
    from source

)

select * from renamed
