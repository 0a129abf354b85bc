{#- Flows side by side, each on its agency's own basis (in period): what each agency would report for the month. -#}
with deliveries as (

    select * from {{ ref('int_extract_deliveries') }}

),

court_flows as (

    select * from {{ ref('int_hmcts_case_flows') }}

),

finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

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

cps_flows as (

    select
        area_code,
        finalisation_month as month_start,
        count(*) filter (where court_type = 'MC') as cps_finalisations_mc,
        count(*) filter (where court_type = 'CC') as cps_finalisations_cc,
        count(*) filter (where is_area_uncertain) as cps_finalisations_area_uncertain
    from finalisations
    group by all

),

delivered_months as (

    select
        month_start,
        bool_or(extract = 'cps_finalisations') as has_cps_finalisations,
        bool_or(extract = 'hmcts_mc_cases') as has_hmcts_mc_cases,
        bool_or(extract = 'hmcts_cc_cases') as has_hmcts_cc_cases
    from deliveries
    group by month_start

),

flows_side_by_side as (

    select
        area_code,
        month_start,
        case when has_cps_finalisations then coalesce(cps_flows.cps_finalisations_mc, 0) end as cps_finalisations_mc,
        case when has_cps_finalisations then coalesce(cps_flows.cps_finalisations_cc, 0) end as cps_finalisations_cc,
        case when has_cps_finalisations then coalesce(cps_flows.cps_finalisations_area_uncertain, 0) end
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
        'in_period' as counting_basis
    from hmcts_flows
    full outer join cps_flows
        using (area_code, month_start)
    left join delivered_months
        using (month_start)

)

select * from flows_side_by_side
