{#- One row per crime given its Home Office outcome, dated by the outcome date. The police crimes extract lists a crime
    in the month it is recorded and again in the month of its outcome; the outcome is taken from the file of the
    outcome's month (a later re-send replaces that file, so the latest delivery wins). -#}
with crimes as (

    select * from {{ ref('stg_police__crimes') }}

),

outcome_codes as (

    select * from {{ ref('ref_ho_outcome_codes') }}

),

outcomes as (

    select *
    from crimes
    where outcome_code is not null
        and strftime(outcome_date, '%Y-%m') = _reporting_month

)

select
    {{ area_code_for_force('outcomes.force_name', "split_part(outcomes.crime_reference, '/', 1)") }} as area_code,
    outcomes.crime_reference,
    outcomes.outcome_date,
    outcomes.outcome_code,
    outcome_codes.outcome_group,
    outcome_codes.further_action_taken = 'Y' as is_further_action_taken,
    outcomes.offence_group,
    outcomes.is_domestic_abuse,
    outcomes.is_rasso,
    outcomes.is_hate_crime
from outcomes
left join outcome_codes
    on outcomes.outcome_code = outcome_codes.outcome_code
