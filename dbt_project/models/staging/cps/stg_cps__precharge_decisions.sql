with source as (

    select * from {{ source('raw', 'cps_precharge_decisions') }}

),

renamed as (

    select
        cps_area,
        trim(police_force) as force_name,
        police_crime_ref as crime_reference_key,
        {{ normalise_urn('urn') }} as urn_key,
        suspect_dob as suspect_dob_key,
        date_first_received,
        date_submitted,
        date_of_response,
        case response_type
            when 'Action plan' then 'action_plan'
            when 'Charge' then 'charge'
            when 'No further action - evidential' then 'nfa_evidential'
            when 'No further action - public interest' then 'nfa_public_interest'
        end as response_type,
        days_to_response,
        principal_offence_category,
        domestic_abuse_flag = '1' as is_domestic_abuse,
        hate_crime_flag = '1' as is_hate_crime,
        rasso_flag = '1' as is_rasso,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
