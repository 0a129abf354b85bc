{#- Disclosure control of the breakdowns (published copy only), by the rules of int_scorecard__disclosure: a
    category count from 1 to var('disclosure_count_threshold') or a category rate on a denominator under
    var('disclosure_min_denominator') is withheld; when exactly one category of a figure is withheld, the categories
    add up to the published total, so the smallest other non-zero category is withheld too; a quarter or rolling
    year of an in-period measure is withheld for a category whose months include a withheld one, and the category
    rule runs again over them. -#}
with breakdown_values as (

    select * from {{ ref('int_scorecard__breakdown_values') }}

),

definitions as (

    select scorecard_id, measure_id, counting_basis, disclosure from {{ ref('stg_definitions__measures') }}

),

primary_flags as (

    select
        breakdown_values.scorecard_id,
        breakdown_values.measure_id,
        breakdown_values.area_code,
        breakdown_values.period_type,
        breakdown_values.period_start,
        breakdown_values.period_end,
        breakdown_values.breakdown,
        breakdown_values.category,
        breakdown_values.value,
        definitions.counting_basis,
        definitions.disclosure = 'standard' and breakdown_values.value is not null and (
            (breakdown_values.unit = 'count'
                and breakdown_values.value between 1 and {{ var('disclosure_count_threshold') }})
            or (breakdown_values.unit <> 'count'
                and breakdown_values.denominator < {{ var('disclosure_min_denominator') }})
        ) as is_primary
    from breakdown_values
    inner join definitions
        on breakdown_values.scorecard_id = definitions.scorecard_id
        and breakdown_values.measure_id = definitions.measure_id

),

{% set category_complement %}
    select
        scorecard_id, measure_id, area_code, period_type, period_start, breakdown, category,
        count(*) filter (where is_suppressed) over by_cell = 1
            and not is_suppressed
            and value is not null
            and row_number() over (
                partition by scorecard_id, measure_id, area_code, period_type, period_start, breakdown, is_suppressed
                order by value is null, value = 0, value, category
            ) = 1 as is_complement
    from {relation}
    where {periods}
    window by_cell as (partition by scorecard_id, measure_id, area_code, period_type, period_start, breakdown)
{% endset %}

first_pass as (

    select *, is_primary as is_suppressed from primary_flags

),

category_complements as (

    {{ category_complement | replace('{relation}', 'first_pass') | replace('{periods}', 'true') }}

),

after_categories as (

    select
        first_pass.* exclude (is_suppressed),
        first_pass.is_suppressed or coalesce(category_complements.is_complement, false) as is_suppressed
    from first_pass
    left join category_complements
        using (scorecard_id, measure_id, area_code, period_type, period_start, breakdown, category)

),

suppressed_months as (

    select scorecard_id, measure_id, area_code, breakdown, category, period_start
    from after_categories
    where period_type = 'month' and is_suppressed and counting_basis = 'in_period'

),

after_time as (

    select
        after_categories.* exclude (is_suppressed),
        after_categories.is_suppressed or (
            after_categories.period_type <> 'month' and after_categories.counting_basis = 'in_period' and exists (
                select 1
                from suppressed_months
                where suppressed_months.scorecard_id = after_categories.scorecard_id
                    and suppressed_months.measure_id = after_categories.measure_id
                    and suppressed_months.area_code = after_categories.area_code
                    and suppressed_months.breakdown = after_categories.breakdown
                    and suppressed_months.category = after_categories.category
                    and suppressed_months.period_start
                        between after_categories.period_start and after_categories.period_end
            )
        ) as is_suppressed
    from after_categories

),

derived_complements as (

    {{ category_complement | replace('{relation}', 'after_time') | replace('{periods}', "period_type <> 'month'") }}

)

select
    after_time.scorecard_id,
    after_time.measure_id,
    after_time.area_code,
    after_time.period_type,
    after_time.period_start,
    after_time.breakdown,
    after_time.category,
    after_time.value is not null
        and (after_time.is_suppressed or coalesce(derived_complements.is_complement, false)) as is_suppressed,
    case
        when after_time.value is null then null
        when after_time.is_primary then 'primary'
        when after_time.is_suppressed or derived_complements.is_complement then 'secondary'
    end as suppression
from after_time
left join derived_complements
    using (scorecard_id, measure_id, area_code, period_type, period_start, breakdown, category)
