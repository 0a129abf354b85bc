{#- Every scorecard's figures, unsuppressed (the build database's copy, for analysts with access; the published copy
    is measure_values_disclosed): one row per scorecard, measure, area (or board, when it covers several areas),
    period type and period, with what a board reads around a number: RAG against its thresholds, the previous
    period, the same period last year, the direction of travel and the England and Wales figure where the data
    covers every area. Columns are a contract with BI tools: later releases add columns, never rename or remove them. -#}
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

extract_months as (

    select * from {{ ref('int_scorecard__extract_months') }}

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
        coalesce(computed.status_reason, definitions.estimate_reason) as status_reason
    from definitions
    inner join scorecard_units
        on definitions.scorecard_id = scorecard_units.scorecard_id
    inner join computed
        on definitions.measure_id = computed.measure_id
        and scorecard_units.unit_code = computed.unit_code
    where definitions.availability = 'computed'

),

-- measures the agency extracts cannot give: listed every period, with the reason
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
        cast(null as double) as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        'not_available' as status,
        definitions.availability_reason as status_reason
    from definitions
    inner join scorecard_units
        on definitions.scorecard_id = scorecard_units.scorecard_id
    inner join periods
        on list_contains(string_split(definitions.period_types, ','), periods.period_type)
    where definitions.availability <> 'computed'

),

scorecard_rows as (

    select * from computed_rows
    union all
    select * from uncomputed_rows

),

national as (

    select measure_id, period_type, period_start, value
    from computed
    where unit_type = 'national'

),

data_cut_off as (

    select
        definitions.scorecard_id,
        definitions.measure_id,
        cast(last_day(max(extract_months.month_start)) as date) as as_at
    from definitions
    inner join extract_months
        on list_contains(string_split(definitions.source_extracts, ','), extract_months.extract)
    group by all

),

compared as (

    select
        scorecard_rows.*,
        lag(scorecard_rows.value) over by_series as previous_value,
        scorecard_rows.value - lag(scorecard_rows.value) over by_series as change,
        last_year.value as same_period_last_year
    from scorecard_rows
    left join scorecard_rows as last_year
        on scorecard_rows.scorecard_id = last_year.scorecard_id
        and scorecard_rows.measure_id = last_year.measure_id
        and scorecard_rows.unit_code = last_year.unit_code
        and scorecard_rows.period_type = last_year.period_type
        and scorecard_rows.period_start - interval 12 month = last_year.period_start
    window by_series as (
        partition by scorecard_rows.scorecard_id, scorecard_rows.measure_id, scorecard_rows.unit_code,
            scorecard_rows.period_type
        order by scorecard_rows.period_start
    )

),

measure_values as (

    select
        compared.scorecard_id,
        definitions.section_id,
        compared.measure_id,
        compared.unit_code as area_code,
        compared.unit_name as area_name,
        compared.unit_type as area_type,
        compared.period_type,
        compared.period_start,
        compared.period_end,
        compared.value,
        compared.numerator,
        compared.denominator,
        definitions.unit,
        definitions.counting_basis,
        compared.status,
        compared.status_reason,
        definitions.target,
        case
            when compared.value is null or definitions.rag_green is null then null
            when definitions.polarity = 'higher_is_better' then
                case when compared.value >= definitions.rag_green then 'green'
                    when compared.value < definitions.rag_red then 'red' else 'amber' end
            when definitions.polarity = 'lower_is_better' then
                case when compared.value <= definitions.rag_green then 'green'
                    when compared.value > definitions.rag_red then 'red' else 'amber' end
        end as rag,
        compared.previous_value,
        compared.change,
        compared.same_period_last_year,
        case
            when compared.change is null or definitions.polarity = 'neither' then null
            when abs(compared.change) <= {{ var('direction_stable_band') }} * abs(compared.previous_value) then 'stable'
            when (compared.change > 0) = (definitions.polarity = 'higher_is_better') then 'improving'
            else 'worsening'
        end as direction_of_travel,
        national.value as national_value,
        data_cut_off.as_at
    from compared
    inner join definitions
        on compared.scorecard_id = definitions.scorecard_id
        and compared.measure_id = definitions.measure_id
    left join national
        on compared.measure_id = national.measure_id
        and compared.period_type = national.period_type
        and compared.period_start = national.period_start
    left join data_cut_off
        on compared.scorecard_id = data_cut_off.scorecard_id
        and compared.measure_id = data_cut_off.measure_id

)

select * from measure_values
