{#- One row per monthly agency extract, police force area and reporting month a board waits for: whether the month's
    file arrived by the day its spec expects it (expected_delivery_day of the next month), late, or not at all, with
    the rows the delivery in force held and refused. The fact behind the scorecards' "Data behind these figures".

    The grid: every extract a board waits for every month (agency extracts of cadence monthly) x every area whose
    forces send their own extracts (the areas in the data: a CPS or HMCTS file, sent for every area at once, says
    nothing of which areas a board covers) x every month from the first to the last any of them delivered. An area's
    month of an extract each force sends itself is delivered only if the file holds that force's rows
    (int_scorecard__area_deliveries), so a file without them is missing for that area. A month not delivered whose
    expected day has not yet come is not yet due (counted nowhere); after it, missing. Row counts are the file's, not
    the area's: a file covering two of a board's areas counts in each, which leaves a share of rows unchanged. -#}
{%- set schedule = monthly_agency_extracts() %}
{%- set sent_by_force = extracts_sent_by_force() %}
with schedule as (

    {%- for extract, due in schedule.items() %}
    select
        '{{ extract }}' as extract,
        '{{ due['agency'] }}' as agency,
        {{ due['expected_delivery_day'] }} as expected_delivery_day
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

area_deliveries as (

    select * from {{ ref('int_scorecard__area_deliveries') }}
    where extract in (select extract from schedule)

),

delivery_log as (

    select * from {{ ref('int_scorecard__delivery_log') }}

),

areas as (

    select distinct area_code
    from area_deliveries
    where extract in ({% for extract in sent_by_force %}'{{ extract }}'{% if not loop.last %}, {% endif %}{% endfor %})

),

months as (

    select cast(month_start as date) as month_start
    from (select min(month_start) as first_month, max(month_start) as last_month from area_deliveries),
        range(first_month, last_month + interval 1 month, interval 1 month) as months(month_start)

),

grid as (

    select
        areas.area_code,
        schedule.agency,
        schedule.extract,
        months.month_start,
        make_date(
            year(months.month_start + interval 1 month),
            month(months.month_start + interval 1 month),
            schedule.expected_delivery_day
        ) as expected_date
    from schedule
    cross join areas
    cross join months

),

judged as (

    select
        grid.*,
        area_deliveries.extract is not null as is_delivered,
        case when area_deliveries.extract is not null then delivery_log.arrival_date end as arrival_date,
        delivery_log.rows_read,
        delivery_log.rows_accepted,
        delivery_log.rows_rejected,
        coalesce(delivery_log.files_refused, 0) as files_refused,
        delivery_log.commonest_refusal_reason,
        coalesce(delivery_log.revisions, 0) as revisions
    from grid
    left join area_deliveries
        on grid.extract = area_deliveries.extract
        and grid.area_code = area_deliveries.area_code
        and grid.month_start = area_deliveries.month_start
    left join delivery_log
        on grid.extract = delivery_log.extract
        and grid.month_start = delivery_log.month_start

)

select
    area_code,
    agency,
    extract,
    month_start,
    strftime(month_start, '%Y-%m') as reporting_month,
    expected_date,
    arrival_date,
    case
        when is_delivered and arrival_date <= expected_date then 'on_time'
        when is_delivered then 'late'
        when expected_date < current_date then 'missing'
        else 'not_yet_due'
    end as delivery_status,
    is_delivered or expected_date < current_date as is_due,
    is_delivered and arrival_date <= expected_date as is_on_time,
    is_delivered and arrival_date > expected_date as is_late,
    not is_delivered and expected_date < current_date as is_missing,
    case when is_delivered then arrival_date - expected_date end as days_after_expected,
    case when is_delivered then rows_read end as rows_read,
    case when is_delivered then rows_rejected end as rows_refused,
    files_refused,
    commonest_refusal_reason,
    revisions
from judged
