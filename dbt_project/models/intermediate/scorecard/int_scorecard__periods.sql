{#- The reporting periods of the scorecards: every month, calendar quarter (the same boundaries as financial-year
    quarters) and rolling twelve months ending with a month, from the first to the last month any extract has
    delivered. A period reaching outside that range is still listed: the engine marks its figures not available. -#}
with months_delivered as (

    select
        min(month_start) as first_month,
        max(month_start) as last_month
    from {{ ref('int_scorecard__extract_months') }}

),

months as (

    select cast(month_start as date) as month_start
    from months_delivered,
        range(first_month, last_month + interval 1 month, interval 1 month) as months(month_start)

),

month_periods as (

    select
        'month' as period_type,
        month_start as period_start,
        cast(last_day(month_start) as date) as period_end
    from months

),

quarter_periods as (

    select distinct
        'quarter' as period_type,
        cast(date_trunc('quarter', month_start) as date) as period_start,
        cast(last_day(date_trunc('quarter', month_start) + interval 2 month) as date) as period_end
    from months

),

rolling_periods as (

    select
        'r12m' as period_type,
        cast(month_start - interval 11 month as date) as period_start,
        cast(last_day(month_start) as date) as period_end
    from months

),

periods as (

    select * from month_periods
    union all
    select * from quarter_periods
    union all
    select * from rolling_periods

)

select
    periods.*,
    datediff('month', periods.period_start, periods.period_end) + 1 as months_in_period
from periods
