{#- Residents of each reporting unit, in all and by ethnic group: the sum over the police force areas it covers
    (ref_area_population), the denominator of rates per 1,000 residents. -#}
with units as (

    select * from {{ ref('int_scorecard__reporting_units') }}

),

population as (

    select * from {{ ref('ref_area_population') }}

),

by_group as (

    unpivot population
    on population_mid_2022 as "all", population_white as "White", population_black as "Black",
        population_asian as "Asian", population_mixed as "Mixed", population_other as "Other"
    into name population_group value residents

)

select
    units.unit_code,
    by_group.population_group,
    sum(by_group.residents) as residents
from units
inner join by_group
    on units.area_code = by_group.area_code
group by all
