{#- One row per action plan the CPS issued to the police on a pre-charge file (crime and action plan number; police
    pre-charge extract, Action plan received and Action plan response submitted events, shared by the crime's
    suspects), with the date the police received it and the date they answered it. A plan received before the first
    month of data has no received date; one not yet answered has no answered date. -#}
with precharge as (

    select * from {{ ref('stg_police__precharge') }}
    where event_type in ('action_plan_received', 'action_plan_answered')

),

action_plans as (

    select
        force_name,
        crime_reference,
        action_plan_number,
        min(event_date) filter (where event_type = 'action_plan_received') as issued_date,
        min(event_date) filter (where event_type = 'action_plan_answered') as answered_date,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_rasso) as is_rasso
    from precharge
    group by force_name, crime_reference, action_plan_number

)

select
    {{ area_code_for_force('action_plans.force_name', "split_part(action_plans.crime_reference, '/', 1)") }} as area_code,
    action_plans.crime_reference,
    action_plans.action_plan_number,
    action_plans.issued_date,
    action_plans.answered_date,
    action_plans.answered_date - action_plans.issued_date as days_to_answer,
    coalesce(action_plans.is_domestic_abuse, false) as is_domestic_abuse,
    coalesce(action_plans.is_rasso, false) as is_rasso
from action_plans
