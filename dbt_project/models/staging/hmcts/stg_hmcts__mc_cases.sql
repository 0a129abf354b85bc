with source as (

    select * from {{ source('raw', 'hmcts_mc_cases') }}

),

renamed as (

    select
        lower(record_type) as record_type,
        court_code,
        court_name,
        lja,
        region,
        case_no as case_number,
        {{ normalise_urn('urn') }} as urn_key,
        date_of_birth as defendant_dob_key,
        principal_offence,
        first_listing_date,
        disposal_date,
        case disposal_type
            when 'Guilty plea' then 'guilty_plea'
            when 'Convicted after trial' then 'convicted_after_trial'
            when 'Proved in absence' then 'proved_in_absence'
            when 'Dismissed after trial' then 'dismissed_after_trial'
            when 'Withdrawn / discontinued' then 'withdrawn_discontinued'
            when 'Sent to Crown Court' then 'sent_to_crown_court'
            when 'Other disposal' then 'other'
        end as disposal_type,
        hearings as hearing_count,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
