{#- One row per CPS response to a pre-charge file (crime): an action plan or the charging decision, dated by the
    response, with the submission it answers and the file's first receipt (CPS pre-charge decisions extract, which
    has a row per suspect: the suspects are counted). -#}
with decisions as (

    select * from {{ ref('stg_cps__precharge_decisions') }}

),

responses as (

    select
        force_name,
        crime_reference_key,
        date_first_received,
        date_submitted,
        date_of_response,
        response_type,
        count(*) as suspects,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_rasso) as is_rasso,
        bool_or(is_hate_crime) as is_hate_crime,
        min(principal_offence_category) as principal_offence_category
    from decisions
    group by force_name, crime_reference_key, date_first_received, date_submitted, date_of_response, response_type

)

select
    {{ area_code_for_force('responses.force_name', 'substr(responses.crime_reference_key, 1, 2)') }} as area_code,
    responses.crime_reference_key,
    responses.date_of_response as response_date,
    responses.date_submitted as submitted_date,
    responses.date_first_received as first_received_date,
    responses.response_type,
    responses.response_type = 'action_plan' as is_action_plan,
    responses.response_type <> 'action_plan' as is_charging_decision,
    responses.response_type = 'charge' as is_charge,
    responses.suspects,
    responses.date_of_response - responses.date_submitted as days_to_response,
    responses.date_of_response - responses.date_first_received as days_from_first_receipt,
    responses.principal_offence_category,
    coalesce(responses.is_domestic_abuse, false) as is_domestic_abuse,
    coalesce(responses.is_rasso, false) as is_rasso,
    coalesce(responses.is_hate_crime, false) as is_hate_crime
from responses
