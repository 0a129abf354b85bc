with source as (

    select * from {{ source('raw', 'hmcts_cc_cases') }}

),

renamed as (

    select
        lower(record_type) as record_type,
        crown_court_code as court_code,
        crown_court as court_name,
        region,
        case_number,
        {{ normalise_urn('urn') }} as urn_key,
        date_of_birth as defendant_dob_key,
        receipt_date,
        disposal_date,
        case disposal_type
            when 'Guilty plea' then 'guilty_plea'
            when 'Convicted after trial' then 'convicted_after_trial'
            when 'Acquitted' then 'acquitted'
            when 'Ordered / discharged' then 'ordered_discharged'
            when 'Offered no evidence' then 'offered_no_evidence'
            when 'Other disposal' then 'other'
        end as disposal_type,
        lower(remand_status) as remand_status,
        principal_offence,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
