{#- The breakdowns BI users see (published as scorecard.measure_breakdowns): measure_breakdowns with disclosure
    control (int_scorecard__breakdown_disclosure). A withheld category keeps its row with status suppressed and its
    figures empty; a relative rate index is also withheld when the White group's figure is, and a share of the total
    when the total is, since either would give it away. -#}
with breakdowns as (

    select * from {{ ref('measure_breakdowns') }}

),

disclosure as (

    select * from {{ ref('int_scorecard__breakdown_disclosure') }}

),

figure_disclosure as (

    select * from {{ ref('int_scorecard__disclosure') }}

),

flagged as (

    select
        breakdowns.*,
        disclosure.is_suppressed,
        disclosure.suppression,
        coalesce(bool_or(disclosure.is_suppressed and breakdowns.category = 'White') over (
            partition by breakdowns.scorecard_id, breakdowns.measure_id, breakdowns.area_code, breakdowns.period_type,
                breakdowns.period_start, breakdowns.breakdown
        ), false) as is_reference_suppressed,
        coalesce(figure_disclosure.is_suppressed, false) as is_total_suppressed
    from breakdowns
    inner join disclosure
        using (scorecard_id, measure_id, area_code, period_type, period_start, breakdown, category)
    left join figure_disclosure
        using (scorecard_id, measure_id, area_code, period_type, period_start)

)

select
    scorecard_id,
    measure_id,
    area_code,
    area_name,
    area_type,
    period_type,
    period_start,
    period_end,
    breakdown,
    category,
    case when is_suppressed then null else value end as value,
    case when is_suppressed then null else numerator end as numerator,
    case when is_suppressed then null else denominator end as denominator,
    unit,
    case when is_suppressed then 'suppressed' else status end as status,
    {{ withheld_reason('suppression', 'status_reason') }} as status_reason,
    -- a category's share and its count give the total away: no share beside a withheld total
    case when is_suppressed or is_total_suppressed then null else share_of_total end as share_of_total,
    population,
    case when is_suppressed then null else rate_per_1000_population end as rate_per_1000_population,
    case when is_suppressed or is_reference_suppressed then null else relative_rate_index end as relative_rate_index
from flagged
