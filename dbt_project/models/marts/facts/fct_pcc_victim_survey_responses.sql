{#- One row per victim satisfaction survey response (PCC victim survey extract), dated by the response, in the police
    force area of the crime. -#}
with responses as (

    select * from {{ ref('stg_pcc__victim_survey') }}

)

select
    area_code,
    response_date,
    crime_reference,
    offence_group,
    is_domestic_abuse,
    victim_sex,
    whole_experience,
    is_satisfied,
    is_dissatisfied,
    is_kept_informed,
    is_treated_fairly
from responses
