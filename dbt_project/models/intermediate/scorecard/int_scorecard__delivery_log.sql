{#- One row per monthly agency extract and reporting month the load log has met: when its first file arrived, what
    the delivery in force holds, how often it was replaced by a corrected re-send, and what was refused.

    The arrival is the first loaded file's modification time in the landing zone: when the agency's file was written
    there. The load time is only when a refresh happened to run (days later, after a weekend or a failed run), so
    judging timeliness by it would blame the agency for the refresh schedule; a transfer that keeps the sender's own
    timestamp gives a time no later than the arrival, so it can never make an on-time file late. A file whose
    modification time could not be read falls back to its load time. Dates are UTC, as the load log records them. -#}
{%- set schedule = monthly_agency_extracts() %}
with load_log as (

    select * from {{ source('audit', 'load_log') }}
    where reporting_month is not null
        and extract in ({% for extract in schedule %}'{{ extract }}'{% if not loop.last %}, {% endif %}{% endfor %})

),

loads as (

    select
        *,
        row_number() over (partition by extract, reporting_month order by loaded_at, source_file) as load_order,
        row_number() over (partition by extract, reporting_month order by loaded_at desc, source_file) as recency,
        lag(file_sha256) over (partition by extract, reporting_month order by loaded_at, source_file)
            as previous_sha256
    from load_log
    where outcome in ('loaded', 'replaced')

),

first_loads as (

    select
        extract,
        reporting_month,
        cast(coalesce(file_modified_at, loaded_at) as date) as arrival_date
    from loads
    where load_order = 1

),

in_force as (

    select extract, reporting_month, rows_read, rows_accepted, rows_rejected
    from loads
    where recency = 1

),

revisions as (

    -- a replacement with other bytes: a file read again unchanged (its spec gained a column) revises nothing
    select extract, reporting_month, count(*) as revisions
    from loads
    where outcome = 'replaced' and file_sha256 is distinct from previous_sha256
    group by all

),

-- a refused file is logged once per bytes and reason; a file refused again after a change is another refusal
refusals as (

    select
        extract,
        reporting_month,
        count(distinct source_file || '|' || coalesce(file_sha256, '')) as files_refused,
        -- the reason without the file's path, which a message may start with: the same reason for every month
        mode(case
            when starts_with(message, source_file || ': ') then substr(message, length(source_file) + 3)
            else message
        end) as commonest_refusal_reason
    from load_log
    where outcome = 'refused'
    group by all

),

months as (

    select extract, reporting_month from first_loads
    union
    select extract, reporting_month from refusals

)

select
    months.extract,
    months.reporting_month,
    cast(months.reporting_month || '-01' as date) as month_start,
    first_loads.arrival_date,
    in_force.rows_read,
    in_force.rows_accepted,
    in_force.rows_rejected,
    coalesce(revisions.revisions, 0) as revisions,
    coalesce(refusals.files_refused, 0) as files_refused,
    refusals.commonest_refusal_reason
from months
left join first_loads
    on months.extract = first_loads.extract
    and months.reporting_month = first_loads.reporting_month
left join in_force
    on months.extract = in_force.extract
    and months.reporting_month = in_force.reporting_month
left join revisions
    on months.extract = revisions.extract
    and months.reporting_month = revisions.reporting_month
left join refusals
    on months.extract = refusals.extract
    and months.reporting_month = refusals.reporting_month
