{#- closing = opening + in - out for each court's stock, with the residual. In real data it does not hold exactly (the
    snapshot and the flows are separate extracts; a transferred case is counted at both courts for a while), so the
    residual is published as a diagnostic: a residual that jumps means something is missing or double counted. -#}
with stocks as (

    select * from {{ ref('reconcile_stocks_by_area_month') }}

),

flows as (

    select * from {{ ref('reconcile_flows_by_area_month') }}

),

court_stocks_and_flows as (

    select
        area_code,
        month_start,
        court.court_type,
        case court.court_type when 'MC' then stocks.hmcts_mc_outstanding else stocks.hmcts_cc_outstanding end as closing,
        case court.court_type when 'MC' then flows.hmcts_mc_receipts else flows.hmcts_cc_receipts end as inflow,
        case court.court_type when 'MC' then flows.hmcts_mc_disposals else flows.hmcts_cc_disposals end as outflow
    from stocks
    full outer join flows
        using (area_code, month_start)
    cross join (values ('MC'), ('CC')) as court (court_type)

),

identity_by_month as (

    select
        this_month.area_code,
        this_month.month_start,
        'hmcts' as agency,
        this_month.court_type,
        previous_month.closing as opening,
        this_month.inflow,
        this_month.outflow,
        this_month.closing
    from court_stocks_and_flows as this_month
    left join court_stocks_and_flows as previous_month
        on this_month.area_code = previous_month.area_code
        and this_month.court_type = previous_month.court_type
        and previous_month.month_start = this_month.month_start - interval 1 month

)

select
    *,
    opening + inflow - outflow as expected_closing,
    closing - (opening + inflow - outflow) as residual,
    'snapshot and in_period' as counting_basis
from identity_by_month
