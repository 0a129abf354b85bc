{#- Each scorecard's figures before disclosure control and comparisons: one row per scorecard, measure, area (and the
    board itself when it covers several areas), period type and period, with the England and Wales figure where the
    data covers every area and the data's as-at date (the last day of the latest month its extracts delivered for the
    area; for a board, for the least recent of its areas). A figure is provisional by its own area's data, never by
    another force's.
    Measures the agency extracts cannot give are listed every period as not available, with the reason; a manual_input
    measure's month with a figure in the manual-input file (stg_manual__measure_values) is published from it. -#}
with definitions as (

    select * from {{ ref('stg_definitions__measures') }}

),

scorecard_areas as (

    select * from {{ ref('stg_definitions__scorecard_areas') }}

),

computed as (

    select * from {{ ref('int_scorecard__measure_values') }}

),

periods as (

    select * from {{ ref('int_scorecard__periods') }}

),

area_deliveries as (

    select * from {{ ref('int_scorecard__area_deliveries') }}

),

manual_values as (

    select * from {{ ref('stg_manual__measure_values') }}

),

force_areas as (

    select area_code, area_name from {{ ref('ref_police_force_areas') }}

),

-- a board's own row when it covers several areas, beside its areas'
scorecard_units as (

    select scorecard_areas.scorecard_id, scorecard_areas.area_code as unit_code, force_areas.area_name as unit_name,
        'area' as unit_type
    from scorecard_areas
    inner join force_areas
        on scorecard_areas.area_code = force_areas.area_code

    union all

    select scorecard_id, scorecard_id, any_value(scorecard_title), 'board'
    from definitions
    where scorecard_id in (select scorecard_id from scorecard_areas group by scorecard_id having count(*) > 1)
    group by scorecard_id

),

computed_rows as (

    select
        definitions.scorecard_id,
        computed.measure_id,
        computed.unit_code,
        computed.unit_name,
        computed.unit_type,
        computed.period_type,
        computed.period_start,
        computed.period_end,
        computed.value,
        computed.numerator,
        computed.denominator,
        case
            when computed.status = 'ok' and definitions.estimate_reason is not null then 'estimate'
            else computed.status
        end as status,
        case
            when computed.status = 'not_available' then computed.status_reason
            else nullif(concat_ws('; ', definitions.estimate_reason, computed.status_reason), '')
        end as status_reason
    from definitions
    inner join scorecard_units
        on definitions.scorecard_id = scorecard_units.scorecard_id
    inner join computed
        on definitions.measure_id = computed.measure_id
        and scorecard_units.unit_code = computed.unit_code
    where definitions.availability = 'computed'

),

-- measures the agency extracts cannot give: listed every period, with the reason; a manual_input measure's month
-- (an area's, not a board's: a board figure is not the sum of manual figures) takes the figure entered for it
uncomputed_rows as (

    select
        definitions.scorecard_id,
        definitions.measure_id,
        scorecard_units.unit_code,
        scorecard_units.unit_name,
        scorecard_units.unit_type,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        manual_values.value,
        manual_values.numerator,
        manual_values.denominator,
        case when manual_values.value is not null then 'ok' else 'not_available' end as status,
        case
            when manual_values.value is not null
                then 'manual input from ' || manual_values.supplied_by
                    || coalesce(': ' || manual_values.note, '')
            when definitions.availability = 'manual_input' and periods.period_type = 'month'
                then 'no manual input received'
            when definitions.availability = 'manual_input'
                then 'manual inputs are monthly figures: not added up into quarters or rolling years'
            else definitions.availability_reason
        end as status_reason
    from definitions
    inner join scorecard_units
        on definitions.scorecard_id = scorecard_units.scorecard_id
    inner join periods
        on list_contains(string_split(definitions.period_types, ','), periods.period_type)
    left join manual_values
        on definitions.availability = 'manual_input'
        and scorecard_units.unit_type = 'area'
        and periods.period_type = 'month'
        and definitions.measure_id = manual_values.measure_id
        and scorecard_units.unit_code = manual_values.area_code
        and periods.period_start = manual_values.period_start
    where definitions.availability <> 'computed'

),

scorecard_rows as (

    select * from computed_rows
    union all
    select * from uncomputed_rows

),

national as (

    select measure_id, period_type, period_start, value, numerator, denominator
    from computed
    where unit_type = 'national'

),

-- the areas behind each scorecard row: an area itself, or every area of a board
unit_areas as (

    select scorecard_id, unit_code, unit_code as area_code from scorecard_units where unit_type = 'area'
    union all
    select scorecard_areas.scorecard_id, scorecard_areas.scorecard_id, scorecard_areas.area_code
    from scorecard_areas
    inner join scorecard_units
        on scorecard_areas.scorecard_id = scorecard_units.unit_code
        and scorecard_units.unit_type = 'board'

),

measure_extracts as (

    select distinct
        scorecard_id, measure_id, unnest(string_split(source_extracts, ',')) as extract
    from definitions
    where source_extracts <> ''

),

-- the last day of the latest month the measure's extracts delivered for each area
area_as_at as (

    select
        measure_extracts.scorecard_id,
        measure_extracts.measure_id,
        area_deliveries.area_code,
        cast(last_day(max(area_deliveries.month_start)) as date) as as_at
    from measure_extracts
    inner join area_deliveries
        on measure_extracts.extract = area_deliveries.extract
    group by all

),

-- a row's data is as recent as its least recent area (a board waits for every force)
data_cut_off as (

    select unit_areas.scorecard_id, area_as_at.measure_id, unit_areas.unit_code, min(area_as_at.as_at) as as_at
    from unit_areas
    inner join area_as_at
        on unit_areas.scorecard_id = area_as_at.scorecard_id
        and unit_areas.area_code = area_as_at.area_code
    group by all

),

-- figures whose period ends in the measure's latest provisional_months of data: later deliveries may still revise them
provisional as (

    select distinct
        scorecard_rows.scorecard_id,
        scorecard_rows.measure_id,
        scorecard_rows.unit_code,
        scorecard_rows.period_type,
        scorecard_rows.period_start,
        definitions.provisional_reason,
        true as is_provisional
    from scorecard_rows
    inner join definitions
        on scorecard_rows.scorecard_id = definitions.scorecard_id
        and scorecard_rows.measure_id = definitions.measure_id
    inner join data_cut_off
        on scorecard_rows.scorecard_id = data_cut_off.scorecard_id
        and scorecard_rows.measure_id = data_cut_off.measure_id
        and scorecard_rows.unit_code = data_cut_off.unit_code
    where scorecard_rows.status = 'ok'
        and definitions.provisional_months > 0
        -- after the last day of the month provisional_months before the as-at month (30 April less a month by the
        -- day is 30 March, which would make March provisional too)
        and scorecard_rows.period_end
            > last_day(date_trunc('month', data_cut_off.as_at) - to_months(definitions.provisional_months))

),

scorecard_values as (

    select
        scorecard_rows.scorecard_id,
        scorecard_rows.measure_id,
        scorecard_rows.unit_code as area_code,
        scorecard_rows.unit_name as area_name,
        scorecard_rows.unit_type as area_type,
        scorecard_rows.period_type,
        scorecard_rows.period_start,
        scorecard_rows.period_end,
        scorecard_rows.value,
        scorecard_rows.numerator,
        scorecard_rows.denominator,
        case when provisional.is_provisional then 'estimate' else scorecard_rows.status end as status,
        case
            when provisional.is_provisional then 'provisional: ' || provisional.provisional_reason
            else scorecard_rows.status_reason
        end as status_reason,
        national.value as national_value,
        national.numerator as national_numerator,
        national.denominator as national_denominator,
        data_cut_off.as_at
    from scorecard_rows
    left join national
        on scorecard_rows.measure_id = national.measure_id
        and scorecard_rows.period_type = national.period_type
        and scorecard_rows.period_start = national.period_start
    left join data_cut_off
        on scorecard_rows.scorecard_id = data_cut_off.scorecard_id
        and scorecard_rows.measure_id = data_cut_off.measure_id
        and scorecard_rows.unit_code = data_cut_off.unit_code
    left join provisional
        on scorecard_rows.scorecard_id = provisional.scorecard_id
        and scorecard_rows.measure_id = provisional.measure_id
        and scorecard_rows.unit_code = provisional.unit_code
        and scorecard_rows.period_type = provisional.period_type
        and scorecard_rows.period_start = provisional.period_start

)

select * from scorecard_values
