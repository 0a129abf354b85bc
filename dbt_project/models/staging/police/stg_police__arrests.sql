with source as (

    select * from {{ source('raw', 'police_arrests') }}

),

renamed as (

    select
        trim(force_name) as force_name,
        arrest_id,
        arrest_date,
        crime_reference,
        suspect_id as suspect_key,
        suspect_pnc_id as suspect_pnc_key,
        sex as suspect_sex,
        self_defined_ethnicity as suspect_ethnicity_code,
        age_at_arrest,
        age_at_arrest >= 18 as is_adult,
        offence_code,
        da_flag = 'Y' as is_domestic_abuse,
        case custody_outcome
            when 'Charged' then 'charged'
            when 'Pre-charge bail' then 'pre_charge_bail'
            when 'Released under investigation' then 'released_under_investigation'
            when 'Released - no status' then 'released_no_status'
        end as custody_outcome,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
