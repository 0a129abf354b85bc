{#- What a board reads around each figure, computed over the figures as they will be shown (so the published copy
    never compares with a withheld figure, and never gives an interval around one): RAG against the board's
    thresholds, the previous period and the change, the same period a year before, the direction of travel
    (improving / worsening / stable, from the measure's polarity; stable within var('direction_stable_band') of the
    previous figure), the published comparators (England and Wales and the peer group,
    int_scorecard__published_comparators), then the figure's 95% interval and base (int_scorecard__interval_methods,
    macros/statistical_tests.sql) and, for each comparison, whether the difference is significant, in one word.
    Only figures with status ok are tested: an estimate's or a provisional figure's error is not sampling error. A
    rolling year is not tested against the previous rolling year (they share eleven months); a count of events is
    compared per day of its periods, so a 31-day month is not a rise on a 28-day one; counts are not compared with
    England and Wales or the peers (an area's count and a country's differ by their size). The first fourteen columns
    are the original published contract, in its order; later columns are additions. -#}
{% macro scorecard_comparisons(figures) %}
with figures as (

    select * from {{ figures }}

),

definitions as (

    select * from {{ ref('stg_definitions__measures') }}

),

-- each figure as the events and base its test counts: a share's numerator of its denominator, a ratio's numerator
-- of both its counts, a count over the days of its period; only where the figure is ok and the numbers fit the method
measured as (

    select
        figures.*,
        case
            when figures.status <> 'ok' or figures.value is null then null
            when methods.interval_method = 'wilson' and figures.denominator > 0
                and figures.numerator between 0 and figures.denominator then 'wilson'
            when methods.interval_method = 'poisson_ratio' and figures.numerator >= 0 and figures.denominator > 0
                then 'poisson_ratio'
            when methods.interval_method = 'poisson' and figures.value >= 0 then 'poisson'
        end as interval_method
    from figures
    left join {{ ref('int_scorecard__interval_methods') }} as methods
        on figures.measure_id = methods.measure_id

),

tested as (

    select
        measured.*,
        case interval_method when 'poisson' then value else numerator end as test_events,
        case interval_method
            when 'wilson' then denominator
            when 'poisson_ratio' then numerator + denominator
            when 'poisson' then period_end - period_start + 1
        end as test_base
    from measured

),

compared as (

    select
        figures.*,
        lag(figures.value) over by_series as previous_value,
        figures.value - lag(figures.value) over by_series as change,
        last_year.value as same_period_last_year,
        lag(figures.interval_method) over by_series as previous_method,
        lag(figures.test_events) over by_series as previous_events,
        lag(figures.test_base) over by_series as previous_base,
        last_year.interval_method as last_year_method,
        last_year.test_events as last_year_events,
        last_year.test_base as last_year_base
    from tested as figures
    left join tested as last_year
        on figures.scorecard_id = last_year.scorecard_id
        and figures.measure_id = last_year.measure_id
        and figures.area_code = last_year.area_code
        and figures.period_type = last_year.period_type
        and figures.period_start - interval 12 month = last_year.period_start
    window by_series as (
        partition by figures.scorecard_id, figures.measure_id, figures.area_code, figures.period_type
        order by figures.period_start
    )

),

with_comparators as (

    select
        definitions.polarity,
        definitions.scale,
        definitions.aggregate,
        compared.interval_method,
        compared.test_events,
        compared.test_base,
        compared.previous_method,
        compared.previous_events,
        compared.previous_base,
        compared.last_year_method,
        compared.last_year_events,
        compared.last_year_base,
        compared.scorecard_id,
        compared.measure_id,
        compared.area_code,
        compared.area_name,
        compared.period_type,
        compared.period_start,
        compared.period_end,
        compared.value,
        compared.numerator,
        compared.denominator,
        definitions.unit,
        definitions.counting_basis,
        compared.status,
        compared.as_at,
        definitions.section_id,
        compared.area_type,
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
        compared.national_value,
        comparators.published_national_value,
        comparators.peer_group,
        comparators.peer_value
    from compared
    inner join definitions
        on compared.scorecard_id = definitions.scorecard_id
        and compared.measure_id = definitions.measure_id
    -- published figures (England and Wales, the peer group) for measures with a comparator series: already public
    left join {{ ref('int_scorecard__published_comparators') }} as comparators
        on compared.measure_id = comparators.measure_id
        and compared.area_code = comparators.area_code
        and compared.period_type = comparators.period_type
        and compared.period_start = comparators.period_start

),

with_intervals as (

    select
        *,
        case interval_method
            when 'wilson' then scale * {{ wilson_bound('test_events', 'test_base', '-') }}
            when 'poisson' then {{ poisson_bound('test_events', '-') }}
            when 'poisson_ratio' then {{ wilson_bound('test_events', 'test_base', '-') }}
                / (1 - {{ wilson_bound('test_events', 'test_base', '-') }})
        end as ci_lower,
        case interval_method
            when 'wilson' then scale * {{ wilson_bound('test_events', 'test_base', '+') }}
            when 'poisson' then {{ poisson_bound('test_events', '+') }}
            when 'poisson_ratio' then case when {{ wilson_bound('test_events', 'test_base', '+') }} < 1 then
                {{ wilson_bound('test_events', 'test_base', '+') }}
                / (1 - {{ wilson_bound('test_events', 'test_base', '+') }}) end
        end as ci_upper,
        coalesce(national_value, published_national_value) as england_and_wales
    from with_comparators

)

select
    scorecard_id,
    measure_id,
    area_code,
    area_name,
    period_type,
    period_start,
    period_end,
    value,
    numerator,
    denominator,
    unit,
    counting_basis,
    status,
    as_at,
    section_id,
    area_type,
    status_reason,
    target,
    rag,
    previous_value,
    change,
    same_period_last_year,
    direction_of_travel,
    national_value,
    published_national_value,
    peer_group,
    peer_value,
    interval_method,
    -- the count the figure rests on: a count itself, else the denominator (answers, cases, the ratio's second count)
    cast(round(case
        when interval_method = 'poisson' then test_events
        when interval_method is not null or aggregate = 'mean' then denominator
    end) as bigint) as base,
    ci_lower,
    ci_upper,
    {{ judgement(
        'change is not null',
        "interval_method = previous_method and period_type <> 'r12m'",
        "case when interval_method = 'poisson' then "
            ~ counts_differ('test_events', 'test_base', 'previous_events', 'previous_base')
            ~ " else " ~ shares_differ('test_events', 'test_base', 'previous_events', 'previous_base') ~ " end",
        "case when interval_method = 'poisson' then test_events / test_base - previous_events / previous_base else change end",
        'polarity',
    ) }} as change_judgement,
    {{ judgement(
        'same_period_last_year is not null and value is not null',
        'interval_method = last_year_method',
        "case when interval_method = 'poisson' then "
            ~ counts_differ('test_events', 'test_base', 'last_year_events', 'last_year_base')
            ~ " else " ~ shares_differ('test_events', 'test_base', 'last_year_events', 'last_year_base') ~ " end",
        "case when interval_method = 'poisson' then test_events / test_base - last_year_events / last_year_base "
            ~ "else value - same_period_last_year end",
        'polarity',
    ) }} as last_year_judgement,
    {{ judgement(
        "england_and_wales is not null and value is not null and unit <> 'count'",
        "interval_method in ('wilson', 'poisson_ratio') and ci_upper is not null",
        'england_and_wales not between ci_lower and ci_upper',
        'value - england_and_wales',
        'polarity',
    ) }} as national_judgement,
    {{ judgement(
        "peer_value is not null and value is not null and unit <> 'count'",
        "interval_method in ('wilson', 'poisson_ratio') and ci_upper is not null",
        'peer_value not between ci_lower and ci_upper',
        'value - peer_value',
        'polarity',
    ) }} as peer_judgement
from with_intervals
{% endmacro %}
