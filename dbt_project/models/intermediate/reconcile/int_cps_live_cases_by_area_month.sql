{#- CPS live cases derived at each month end: defendant-cases the CPS charged (a pre-charge decision Charge in the
    months loaded) on or before the month end and had not finalised by it. Derived, not reported by the CPS: it leaves
    out police-charged defendant-cases (no CPS charge decision) and charges decided before the first month loaded, so
    it is a lower bound that fills up over the first months loaded. Null for a month whose CPS extracts (pre-charge
    decisions and finalisations) have not both arrived. -#}
with defendant_cases as (

    select * from {{ ref('int_cps_defendant_cases') }}

),

deliveries as (

    select * from {{ ref('int_extract_deliveries') }}
    where extract in ('cps_precharge_decisions', 'cps_finalisations')

),

months_delivered as (

    select
        month_start,
        count(distinct extract) = 2 as has_both_extracts
    from deliveries
    group by month_start

),

month_spine as (

    select cast(unnest(generate_series(
        (select min(month_start) from deliveries where extract = 'cps_precharge_decisions'),
        (select max(month_start) from deliveries),
        interval 1 month
    )) as date) as month_start

),

month_ends as (

    {#- a month missing either extract leaves its own and every later stock unknown (a finalisation not seen would
        keep a case live) until the late extract arrives -#}
    select
        month_spine.month_start,
        cast(last_day(month_spine.month_start) as date) as as_at,
        min(month_spine.month_start) over () as derived_since,
        bool_and(coalesce(months_delivered.has_both_extracts, false)) over (
            order by month_spine.month_start rows between unbounded preceding and current row
        ) as is_derivable
    from month_spine
    left join months_delivered
        on month_spine.month_start = months_delivered.month_start

),

areas as (

    select distinct area_code from defendant_cases where cps_charge_date is not null

),

live_cases as (

    select
        areas.area_code,
        month_ends.month_start,
        month_ends.as_at,
        month_ends.derived_since,
        case when month_ends.is_derivable then count(defendant_cases.case_key) end as cps_live_cases_derived
    from areas
    cross join month_ends
    left join defendant_cases
        on areas.area_code = defendant_cases.area_code
        and defendant_cases.cps_charge_date <= month_ends.as_at
        and (defendant_cases.finalisation_date is null or defendant_cases.finalisation_date > month_ends.as_at)
    group by areas.area_code, month_ends.month_start, month_ends.as_at, month_ends.derived_since, month_ends.is_derivable

)

select * from live_cases
