{#- Every computed measure's figure for every reporting unit and period it is published for, with its numerator and
    denominator, and whether the period's data is complete. A period missing a month of a source extract for the unit
    (for a board or England and Wales, for any of its areas: int_scorecard__area_deliveries) is not available (null,
    with the reason naming the areas and months), never a partial or zero figure; a complete period with no rows is
    zero (a count) or not available (a rate, mean or median: nothing to divide by). -#}
with measures as (

    select distinct measure_id, period_types, source_extracts, unit, scale, aggregate, counting_basis
    from {{ ref('stg_definitions__measures') }}
    where availability = 'computed'

),

amounts as (

    select * from {{ ref('int_scorecard__measure_amounts') }}

),

units as (

    select unit_code, unit_name, unit_type, bool_and(is_area_in_data) as is_in_data, count(*) as area_count
    from {{ ref('int_scorecard__reporting_units') }}
    group by all

),

unit_areas as (

    select unit_code, area_code from {{ ref('int_scorecard__reporting_units') }}

),

force_areas as (

    select area_code, area_name from {{ ref('ref_police_force_areas') }}

),

periods as (

    select * from {{ ref('int_scorecard__periods') }}

),

area_deliveries as (

    select * from {{ ref('int_scorecard__area_deliveries') }}

),

cohort_periods as (

    select distinct measure_id, 'quarter' as period_type, period_start, period_end
    from amounts
    where measure_id in (select measure_id from measures where counting_basis = 'cohort')

),

measure_periods as (

    select measures.measure_id, periods.period_type, periods.period_start, periods.period_end
    from measures
    inner join periods
        on list_contains(string_split(measures.period_types, ','), periods.period_type)
    where measures.counting_basis <> 'cohort'

    union all

    select measure_id, period_type, period_start, period_end from cohort_periods

),

-- the months whose extracts a figure needs: every month of the period, or the snapshot's month
needed_months as (

    select
        measure_periods.*,
        unnest(string_split(measures.source_extracts, ',')) as extract,
        cast(month_start as date) as month_start
    from measure_periods
    inner join measures
        on measure_periods.measure_id = measures.measure_id,
        range(
            case when measures.counting_basis = 'snapshot'
                then date_trunc('month', measure_periods.period_end)
                else measure_periods.period_start end,
            measure_periods.period_end,
            interval 1 month
        ) as months(month_start)
    where measures.counting_basis <> 'cohort' and measures.source_extracts <> ''

),

-- the months a figure needs that an area has not delivered (each force sends its police and PCC extracts itself)
area_missing as (

    select
        needed_months.measure_id,
        needed_months.period_type,
        needed_months.period_start,
        areas.area_code,
        string_agg(
            needed_months.extract || ' ' || strftime(needed_months.month_start, '%Y-%m'), ', '
            order by needed_months.month_start, needed_months.extract
        ) as missing
    from needed_months
    cross join (select distinct area_code from unit_areas) as areas
    left join area_deliveries
        on needed_months.extract = area_deliveries.extract
        and needed_months.month_start = area_deliveries.month_start
        and areas.area_code = area_deliveries.area_code
    where area_deliveries.extract is null
    group by all

),

-- per reporting unit, its areas that miss the same months
unit_missing_groups as (

    select
        unit_areas.unit_code,
        area_missing.measure_id,
        area_missing.period_type,
        area_missing.period_start,
        area_missing.missing,
        count(*) as areas_missing,
        string_agg(force_areas.area_name, ', ' order by force_areas.area_name) as area_names
    from area_missing
    inner join unit_areas
        on area_missing.area_code = unit_areas.area_code
    inner join force_areas
        on area_missing.area_code = force_areas.area_code
    group by all

),

-- a board's or England and Wales's figure waits for every one of its areas, and says which have not delivered
missing_months as (

    select
        unit_missing_groups.unit_code,
        unit_missing_groups.measure_id,
        unit_missing_groups.period_type,
        unit_missing_groups.period_start,
        case
            when count(*) = 1 and any_value(unit_missing_groups.areas_missing) = any_value(units.area_count)
                then 'not delivered: ' || any_value(unit_missing_groups.missing)
            else 'not delivered for ' || string_agg(
                unit_missing_groups.area_names || ': ' || unit_missing_groups.missing, '; '
                order by unit_missing_groups.area_names
            )
        end as missing
    from unit_missing_groups
    inner join units
        on unit_missing_groups.unit_code = units.unit_code
    group by all

),

-- a measure that needs no extract (the data-health measures count deliveries, missing ones included) cannot wait for
-- its months to be delivered; its period must still be over: one running past the last month any extract delivered is
-- not complete (its later months' files are not due yet). Months before the first delivered had nothing due.
months_delivered as (

    select max(period_end) as last_month_end
    from periods
    where period_type = 'month'

),

amounts_by_period as (

    select
        measure_id,
        unit_code,
        period_type,
        period_start,
        max(amount) filter (where part = 'value') as value_amount,
        max(amount) filter (where part = 'numerator') as numerator_amount,
        max(amount) filter (where part = 'denominator') as denominator_amount,
        max(amount) filter (where part = 'rows') as rows_amount
    from amounts
    group by all

),

figures as (

    select
        measure_periods.measure_id,
        units.unit_code,
        units.unit_name,
        units.unit_type,
        measure_periods.period_type,
        measure_periods.period_start,
        measure_periods.period_end,
        measures.unit,
        measures.counting_basis,
        measures.aggregate,
        measures.scale,
        case
            when not units.is_in_data then 'no extract covers ' || units.unit_name
            when measures.source_extracts = '' and measure_periods.period_end > months_delivered.last_month_end
                then 'not complete: the period runs past the last month delivered ('
                    || strftime(months_delivered.last_month_end, '%Y-%m') || ')'
            else missing_months.missing
        end as missing,
        amounts_by_period.value_amount,
        coalesce(amounts_by_period.numerator_amount, 0) as numerator_amount,
        coalesce(amounts_by_period.denominator_amount, 0) as denominator_amount,
        coalesce(amounts_by_period.rows_amount, 0) as rows_amount,
        -- a rate, mean or median over no rows has no value: not available, never a figure that is "ok" but empty
        (measures.aggregate in ('ratio', 'mean') and coalesce(amounts_by_period.denominator_amount, 0) = 0)
            or (measures.aggregate = 'median' and amounts_by_period.value_amount is null) as is_over_no_rows
    from measure_periods
    inner join measures
        on measure_periods.measure_id = measures.measure_id
    cross join units
    cross join months_delivered
    left join missing_months
        on units.unit_code = missing_months.unit_code
        and measure_periods.measure_id = missing_months.measure_id
        and measure_periods.period_type = missing_months.period_type
        and measure_periods.period_start = missing_months.period_start
    left join amounts_by_period
        on measure_periods.measure_id = amounts_by_period.measure_id
        and units.unit_code = amounts_by_period.unit_code
        and measure_periods.period_type = amounts_by_period.period_type
        and measure_periods.period_start = amounts_by_period.period_start

),

measure_values as (

    select
        measure_id,
        unit_code,
        unit_name,
        unit_type,
        period_type,
        period_start,
        period_end,
        case
            when missing is not null then null
            when aggregate in ('ratio', 'mean') then numerator_amount / nullif(denominator_amount, 0) * scale
            when aggregate = 'median' then value_amount
            else coalesce(value_amount, 0)
        end as value,
        case when missing is null and aggregate in ('ratio', 'mean') then numerator_amount end as numerator,
        case when missing is null and aggregate in ('ratio', 'mean', 'median') then denominator_amount end as denominator,
        case
            when missing is not null or is_over_no_rows then 'not_available'
            when rows_amount > denominator_amount then 'estimate'
            else 'ok'
        end as status,
        case
            when missing is not null then missing
            when is_over_no_rows then 'nothing to compute it over: no rows in the period (a denominator of 0)'
            when rows_amount > denominator_amount then
                'partial: over ' || cast(denominator_amount as bigint) || ' of ' || cast(rows_amount as bigint)
                || ' rows; the others lack the value (e.g. a date before the first month of data)'
        end as status_reason
    from figures

)

select * from measure_values
