with source as (

    select * from {{ source('raw', 'police_precharge') }}

),

renamed as (

    select
        trim(force_name) as force_name,
        crime_reference,
        suspect_id as suspect_key,
        {{ normalise_urn('urn') }} as urn_key,
        case event
            when 'Referral to CPS' then 'referred_to_cps'
            when 'Action plan received' then 'action_plan_received'
            when 'Action plan response submitted' then 'action_plan_answered'
            when 'Charging decision received' then 'charging_decision_received'
        end as event_type,
        event_date,
        action_plan_no as action_plan_number,
        case decision
            when 'Charge' then 'charge'
            when 'NFA - evidential' then 'nfa_evidential'
            when 'NFA - public interest' then 'nfa_public_interest'
        end as decision,
        offence_code,
        da_flag = 'Y' as is_domestic_abuse,
        rasso_flag = 'Y' as is_rasso,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
