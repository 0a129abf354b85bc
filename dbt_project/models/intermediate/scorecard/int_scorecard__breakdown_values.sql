{#- Each scorecard measure's figure per category of its breakdowns, at the board's level (the area for a one-area
    board, the board itself when it covers several areas: breakdowns describe the board's population, and keeping
    them at one level leaves a single identity, categories adding up to the total, for disclosure control). Every
    category seen for the measure in any period is listed every period (0 when it has no rows). For an ethnicity
    breakdown, the rate per 1,000 residents of the group and the relative rate index against the White group. -#}
with amounts as (

    select * from {{ ref('int_scorecard__breakdown_amounts') }}

),

totals as (

    select * from {{ ref('int_scorecard__scorecard_values') }}

),

definitions as (

    select scorecard_id, measure_id, aggregate, scale, unit from {{ ref('stg_definitions__measures') }}

),

board_units as (

    select scorecard_id, any_value(area_code) as unit_code
    from totals
    group by scorecard_id
    having count(distinct area_code) = 1

    union

    select scorecard_id, area_code
    from totals
    where area_type = 'board'

),

categories as (

    select distinct measure_id, unit_code, breakdown, category from amounts

),

grid as (

    select
        totals.scorecard_id,
        totals.measure_id,
        totals.area_code,
        totals.area_name,
        totals.area_type,
        totals.period_type,
        totals.period_start,
        totals.period_end,
        totals.status,
        totals.status_reason,
        totals.value as total_value,
        categories.breakdown,
        categories.category
    from totals
    inner join board_units
        on totals.scorecard_id = board_units.scorecard_id
        and totals.area_code = board_units.unit_code
    inner join categories
        on totals.measure_id = categories.measure_id
        and totals.area_code = categories.unit_code

),

amounts_by_category as (

    select
        measure_id, unit_code, period_type, period_start, breakdown, category,
        max(amount) filter (where part = 'value') as value_amount,
        max(amount) filter (where part = 'numerator') as numerator_amount,
        max(amount) filter (where part = 'denominator') as denominator_amount
    from amounts
    group by all

),

population as (

    select
        units.unit_code,
        groups.category,
        sum(case groups.category
            when 'White' then population.population_white
            when 'Black' then population.population_black
            when 'Asian' then population.population_asian
            when 'Mixed' then population.population_mixed
            when 'Other' then population.population_other
        end) as population
    from {{ ref('int_scorecard__reporting_units') }} as units
    inner join {{ ref('ref_area_population') }} as population
        on units.area_code = population.area_code
    cross join (values ('White'), ('Black'), ('Asian'), ('Mixed'), ('Other')) as groups(category)
    group by all

),

category_values as (

    select
        grid.*,
        definitions.unit,
        case
            when grid.status = 'not_available' then null
            when definitions.aggregate in ('ratio', 'mean')
                then coalesce(amounts_by_category.numerator_amount, 0)
                    / nullif(coalesce(amounts_by_category.denominator_amount, 0), 0) * definitions.scale
            when definitions.aggregate = 'median' then amounts_by_category.value_amount
            else coalesce(amounts_by_category.value_amount, 0)
        end as value,
        case when grid.status <> 'not_available' and definitions.aggregate in ('ratio', 'mean')
            then coalesce(amounts_by_category.numerator_amount, 0) end as numerator,
        case when grid.status <> 'not_available' and definitions.aggregate in ('ratio', 'mean', 'median')
            then coalesce(amounts_by_category.denominator_amount, 0) end as denominator,
        case when grid.breakdown = 'ethnic_group' then population.population end as population
    from grid
    inner join definitions
        on grid.scorecard_id = definitions.scorecard_id
        and grid.measure_id = definitions.measure_id
    left join amounts_by_category
        on grid.measure_id = amounts_by_category.measure_id
        and grid.area_code = amounts_by_category.unit_code
        and grid.period_type = amounts_by_category.period_type
        and grid.period_start = amounts_by_category.period_start
        and grid.breakdown = amounts_by_category.breakdown
        and grid.category = amounts_by_category.category
    left join population
        on grid.area_code = population.unit_code
        and grid.category = population.category

),

with_rates as (

    select
        *,
        case when unit = 'count' then value / nullif(total_value, 0) end as share_of_total,
        case when unit = 'count' then value / population * 1000 end as rate_per_1000_population
    from category_values

),

breakdown_values as (

    select
        with_rates.* exclude (total_value),
        case
            when with_rates.breakdown <> 'ethnic_group' then null
            when with_rates.unit = 'count' then with_rates.rate_per_1000_population / nullif(white.rate_per_1000_population, 0)
            else with_rates.value / nullif(white.value, 0)
        end as relative_rate_index
    from with_rates
    left join with_rates as white
        on with_rates.scorecard_id = white.scorecard_id
        and with_rates.measure_id = white.measure_id
        and with_rates.area_code = white.area_code
        and with_rates.period_type = white.period_type
        and with_rates.period_start = white.period_start
        and with_rates.breakdown = white.breakdown
        and white.category = 'White'

)

select * from breakdown_values
