{#- Flows side by side, each on its agency's own basis (in period): what each agency would report for the month. A
    figure is null when the extract it comes from has not been delivered for the month. -#}
with deliveries as (

    select * from {{ ref('int_extract_deliveries') }}

),

court_flows as (

    select * from {{ ref('int_hmcts_case_flows') }}

),

finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

),

police_charges as (

    select * from {{ ref('int_police_charges') }}

),

precharge_decisions as (

    select * from {{ ref('int_cps_precharge_decisions_with_area') }}

),

hmcts_flows as (

    select
        area_code,
        event_month as month_start,
        count(*) filter (where court_type = 'MC' and record_type = 'receipt') as hmcts_mc_receipts,
        count(*) filter (where court_type = 'MC' and record_type = 'disposal') as hmcts_mc_disposals,
        count(*) filter (where court_type = 'MC' and record_type = 'disposal' and is_sent_to_crown_court)
            as hmcts_mc_disposals_sent_to_cc,
        count(*) filter (where court_type = 'CC' and record_type = 'receipt') as hmcts_cc_receipts,
        count(*) filter (where court_type = 'CC' and record_type = 'disposal') as hmcts_cc_disposals
    from court_flows
    group by all

),

cps_finalisation_flows as (

    select
        area_code,
        finalisation_month as month_start,
        count(*) filter (where court_type = 'MC') as cps_finalisations_mc,
        count(*) filter (where court_type = 'CC') as cps_finalisations_cc,
        count(*) filter (where is_area_uncertain) as cps_finalisations_area_uncertain
    from finalisations
    group by all

),

police_charge_flows as (

    select
        area_code,
        charge_month as month_start,
        count(*) as police_charges_crimes,
        -- a sum of BIGINTs is a HUGEINT in DuckDB, which BI drivers read as a decimal or not at all; a month's
        -- suspects fit a BIGINT many times over
        cast(sum(crime_suspects_charged) as bigint) as police_charges_crime_suspects
    from police_charges
    group by all

),

cps_decision_flows as (

    select
        area_code,
        response_month as month_start,
        count(*) filter (where response_type = 'charge') as cps_charges_suspects,
        count(distinct crime_reference_key) filter (where is_charging_decision) as cps_precharge_decisions_files
    from precharge_decisions
    group by all

),

cps_receipt_flows as (

    select
        area_code,
        received_month as month_start,
        count(distinct crime_reference_key) as cps_precharge_receipts_files
    from precharge_decisions
    group by all

),

delivered_months as (

    select
        month_start,
        bool_or(extract = 'police_crimes') as has_police_crimes,
        bool_or(extract = 'cps_precharge_decisions') as has_cps_precharge_decisions,
        bool_or(extract = 'cps_finalisations') as has_cps_finalisations,
        bool_or(extract = 'hmcts_mc_cases') as has_hmcts_mc_cases,
        bool_or(extract = 'hmcts_cc_cases') as has_hmcts_cc_cases
    from deliveries
    group by month_start

),

area_months as (

    {#- every area with a flow in a month any extract was delivered for (a file received before the first month
        loaded is not a row) -#}
    select area_code, month_start from hmcts_flows
    union
    select area_code, month_start from cps_finalisation_flows
    union
    select area_code, month_start from police_charge_flows
    union
    select area_code, month_start from cps_decision_flows
    union
    select area_code, month_start from cps_receipt_flows

),

flows_side_by_side as (

    select
        area_months.area_code,
        area_months.month_start,
        case when has_police_crimes then coalesce(police_charge_flows.police_charges_crimes, 0) end
            as police_charges_crimes,
        case when has_police_crimes then coalesce(police_charge_flows.police_charges_crime_suspects, 0) end
            as police_charges_crime_suspects,
        case when has_cps_precharge_decisions then coalesce(cps_receipt_flows.cps_precharge_receipts_files, 0) end
            as cps_precharge_receipts_files,
        case when has_cps_precharge_decisions then coalesce(cps_decision_flows.cps_precharge_decisions_files, 0) end
            as cps_precharge_decisions_files,
        case when has_cps_precharge_decisions then coalesce(cps_decision_flows.cps_charges_suspects, 0) end
            as cps_charges_suspects,
        case when has_cps_finalisations then coalesce(cps_finalisation_flows.cps_finalisations_mc, 0) end
            as cps_finalisations_mc,
        case when has_cps_finalisations then coalesce(cps_finalisation_flows.cps_finalisations_cc, 0) end
            as cps_finalisations_cc,
        case when has_cps_finalisations then coalesce(cps_finalisation_flows.cps_finalisations_area_uncertain, 0) end
            as cps_finalisations_area_uncertain,
        case when has_hmcts_mc_cases then coalesce(hmcts_flows.hmcts_mc_receipts, 0) end as hmcts_mc_receipts,
        case when has_hmcts_mc_cases then coalesce(hmcts_flows.hmcts_mc_disposals, 0) end as hmcts_mc_disposals,
        case when has_hmcts_mc_cases then coalesce(hmcts_flows.hmcts_mc_disposals_sent_to_cc, 0) end
            as hmcts_mc_disposals_sent_to_cc,
        case when has_hmcts_mc_cases
            then coalesce(hmcts_flows.hmcts_mc_disposals, 0) - coalesce(hmcts_flows.hmcts_mc_disposals_sent_to_cc, 0)
        end as hmcts_mc_disposals_finalised,
        case when has_hmcts_cc_cases then coalesce(hmcts_flows.hmcts_cc_receipts, 0) end as hmcts_cc_receipts,
        case when has_hmcts_cc_cases then coalesce(hmcts_flows.hmcts_cc_disposals, 0) end as hmcts_cc_disposals,
        'in_period' as counting_basis,
        cast(last_day(area_months.month_start) as date) as as_at
    from area_months
    inner join delivered_months
        on area_months.month_start = delivered_months.month_start
    left join hmcts_flows
        on area_months.area_code = hmcts_flows.area_code and area_months.month_start = hmcts_flows.month_start
    left join cps_finalisation_flows
        on area_months.area_code = cps_finalisation_flows.area_code
        and area_months.month_start = cps_finalisation_flows.month_start
    left join police_charge_flows
        on area_months.area_code = police_charge_flows.area_code
        and area_months.month_start = police_charge_flows.month_start
    left join cps_decision_flows
        on area_months.area_code = cps_decision_flows.area_code
        and area_months.month_start = cps_decision_flows.month_start
    left join cps_receipt_flows
        on area_months.area_code = cps_receipt_flows.area_code
        and area_months.month_start = cps_receipt_flows.month_start

)

select * from flows_side_by_side
