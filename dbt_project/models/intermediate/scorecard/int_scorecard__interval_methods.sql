{#- How the uncertainty of each measure's figures is measured (macros/statistical_tests.sql), from its definition:
    a share of cases or answers (a percentage of a numerator over its denominator) by the Wilson score interval; a
    count of events in a period (a flow, or a rolling year) as a Poisson count; a ratio of two counts of events (e.g.
    receipts per finalisation) through the binomial share of the first in both. The rest have none, and the board
    pack says why: a mean or median of durations (the extracts give the total and the number of cases, not their
    spread), a ratio of two rates per 1,000 residents, a snapshot of open cases (consecutive snapshots share most of
    their cases), a figure entered by hand. -#}
with measures as (

    select distinct measure_id, unit, aggregate, counting_basis, availability
    from {{ ref('stg_definitions__measures') }}

),

parts as (

    select measure_id, bool_and(aggregate = 'count' and per_1000_residents is null) as counts_events
    from {{ ref('stg_definitions__measure_parts') }}
    where part in ('numerator', 'denominator')
    group by measure_id

)

select
    measures.measure_id,
    case
        when measures.availability <> 'computed' then null
        when measures.unit = 'percentage' and measures.aggregate = 'ratio' then 'wilson'
        when measures.unit = 'count' and measures.aggregate in ('count', 'count_distinct')
            and measures.counting_basis in ('in_period', 'rolling_12_months') then 'poisson'
        when measures.unit = 'ratio' and measures.aggregate = 'ratio' and parts.counts_events then 'poisson_ratio'
    end as interval_method
from measures
left join parts
    on measures.measure_id = parts.measure_id
