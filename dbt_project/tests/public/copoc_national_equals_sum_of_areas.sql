{#- CPS COPOC internal consistency: for every month, category and measure, National's count equals the sum of the 42
    areas' counts (as the CPS publishes it). Returns the months, categories and measures where it does not. -#}
with areas as (

    select finalised_month, offence_category, measure, sum(defendants) as defendants
    from {{ ref('stg_public__cps_copoc_outcomes') }}
    where not is_national
    group by all

),

national as (

    select finalised_month, offence_category, measure, defendants
    from {{ ref('stg_public__cps_copoc_outcomes') }}
    where is_national

)

select national.*, areas.defendants as sum_of_areas
from national
full join areas using (finalised_month, offence_category, measure)
where national.defendants is distinct from areas.defendants
