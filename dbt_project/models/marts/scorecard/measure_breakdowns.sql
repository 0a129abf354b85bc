{#- Scorecard figures by category (ethnic group, sex, offence group, service ...), unsuppressed: the build database's
    copy for analysts with access (the published copy is measure_breakdowns_disclosed). For ethnicity, the rate per
    1,000 residents of each group and the relative rate index against the White group. -#}
with breakdown_values as (

    select * from {{ ref('int_scorecard__breakdown_values') }}

)

select
    scorecard_id,
    measure_id,
    area_code,
    area_name,
    area_type,
    period_type,
    period_start,
    period_end,
    breakdown,
    category,
    value,
    numerator,
    denominator,
    unit,
    status,
    status_reason,
    share_of_total,
    population,
    rate_per_1000_population,
    relative_rate_index
from breakdown_values
