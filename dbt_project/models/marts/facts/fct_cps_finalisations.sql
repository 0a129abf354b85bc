{#- One row per defendant-case the CPS finalised (completed), dated by the finalisation, in the police force area it
    belongs to (int_cps_finalisations_with_area), with its outcome and flags. -#}
with finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

)

select
    area_code,
    finalisation_date,
    court_type,
    urn_key,
    defendant_key,
    defendant_dob_key,
    defendant_person_key,
    outcome,
    is_conviction,
    not is_conviction as is_unsuccessful,
    outcome = 'guilty_plea' as is_guilty_plea,
    is_guilty_plea_at_first_hearing,
    unsuccessful_reason,
    coalesce(is_victim_issue, false) as is_victim_issue,
    principal_offence_category,
    is_domestic_abuse,
    is_rasso,
    is_hate_crime,
    is_domestic_abuse or is_rasso as is_domestic_abuse_or_sexual_violence,
    number_of_charges,
    is_area_uncertain
from finalisations
