{#- CPS case outcomes per month, area and principal offence category, one row each: convictions, unsuccessful and
    (for "All Offences") admin finalised, with the published percentages and markers. A null count or percentage is
    never 0: its marker says why. -#}
with outcomes as (

    select * from {{ ref('stg_public__cps_copoc_outcomes') }}

)

select
    finalised_month,
    area_name,
    is_national,
    area_codes,
    offence_category,
    max(defendants) filter (measure = 'convictions') as convictions,
    max(percentage) filter (measure = 'convictions') as convictions_percentage,
    max(percentage_marker) filter (measure = 'convictions') as convictions_percentage_marker,
    max(defendants) filter (measure = 'unsuccessful') as unsuccessful,
    max(percentage) filter (measure = 'unsuccessful') as unsuccessful_percentage,
    max(percentage_marker) filter (measure = 'unsuccessful') as unsuccessful_percentage_marker,
    max(defendants) filter (measure = 'admin_finalised') as admin_finalised
from outcomes
group by finalised_month, area_name, is_national, area_codes, offence_category
