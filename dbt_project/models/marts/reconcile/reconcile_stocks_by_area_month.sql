{#- Stocks side by side at each month end: the police count charged cases still waiting for court, the CPS's live
    cases are derived from its charge and finalisation dates, HMCTS counts the cases open at each court. They measure
    different things; this mart shows them on one row. -#}
with police_caseload as (

    select *, period_start as month_start from {{ ref('int_police_live_caseload_by_area_month') }}

),

court_outstanding as (

    select * from {{ ref('int_hmcts_outstanding_by_area_month') }}

),

cps_live_cases as (

    select * from {{ ref('int_cps_live_cases_by_area_month') }}

),

court_stocks as (

    select
        area_code,
        month_start,
        cast(sum(outstanding_cases) filter (where court_type = 'MC') as bigint) as hmcts_mc_outstanding,
        cast(sum(outstanding_cases) filter (where court_type = 'CC') as bigint) as hmcts_cc_outstanding,
        max(as_at) as hmcts_as_at
    from court_outstanding
    group by all

),

stocks_side_by_side as (

    select
        area_code,
        month_start,
        police_caseload.charged_awaiting_court_live as police_charged_awaiting_court_rows,
        police_caseload.charged_awaiting_court_cases as police_charged_awaiting_court_cases,
        police_caseload.as_at as police_as_at,
        cps_live_cases.cps_live_cases_derived,
        cps_live_cases.derived_since as cps_live_cases_derived_since,
        cps_live_cases.as_at as cps_as_at,
        court_stocks.hmcts_mc_outstanding,
        court_stocks.hmcts_cc_outstanding,
        court_stocks.hmcts_as_at,
        'snapshot' as counting_basis
    from police_caseload
    full outer join court_stocks
        using (area_code, month_start)
    full outer join cps_live_cases
        using (area_code, month_start)

)

select * from stocks_side_by_side
