{#- What a board reads around each figure, computed over the figures as they will be shown (so the published copy
    never compares with a withheld figure): RAG against the board's thresholds, the previous period and the change,
    the same period a year before, the direction of travel (improving / worsening / stable, from the measure's
    polarity; stable within var('direction_stable_band') of the previous figure), and the published comparators
    (England and Wales and the peer group, int_scorecard__published_comparators). The first fourteen columns are
    the original published contract, in its order; later columns are additions. -#}
{% macro scorecard_comparisons(figures) %}
with figures as (

    select * from {{ figures }}

),

definitions as (

    select * from {{ ref('stg_definitions__measures') }}

),

compared as (

    select
        figures.*,
        lag(figures.value) over by_series as previous_value,
        figures.value - lag(figures.value) over by_series as change,
        last_year.value as same_period_last_year
    from figures
    left join figures as last_year
        on figures.scorecard_id = last_year.scorecard_id
        and figures.measure_id = last_year.measure_id
        and figures.area_code = last_year.area_code
        and figures.period_type = last_year.period_type
        and figures.period_start - interval 12 month = last_year.period_start
    window by_series as (
        partition by figures.scorecard_id, figures.measure_id, figures.area_code, figures.period_type
        order by figures.period_start
    )

)

select
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
{% endmacro %}
