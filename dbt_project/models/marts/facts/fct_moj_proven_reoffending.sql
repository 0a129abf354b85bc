{#- MoJ proven reoffending cohorts: one row per police force area, cohort quarter, age group and index disposal,
    with the counts a rate is recomputed from (never the published rates, which cannot be added up). A cohort fact
    model: the cohort quarter (cohort_start, cohort_end) places a row in its period, not a date. -#}
with cohorts as (

    select * from {{ ref('stg_moj__proven_reoffending') }}

)

select
    area_code,
    cohort_start,
    cohort_end,
    age_group,
    index_disposal,
    offenders,
    reoffenders,
    reoffences
from cohorts
