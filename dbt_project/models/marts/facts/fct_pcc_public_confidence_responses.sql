{#- One row per public confidence survey response (PCC public confidence extract), dated by the response, in the
    police force area surveyed. -#}
with responses as (

    select * from {{ ref('stg_pcc__public_confidence') }}

)

select
    area_code,
    response_date,
    response_id,
    age_band,
    sex,
    police_doing_good_job,
    is_excellent_or_good,
    is_poor_or_very_poor,
    is_dont_know
from responses
