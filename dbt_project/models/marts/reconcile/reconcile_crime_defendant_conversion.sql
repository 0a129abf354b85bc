{{ config(tags=['after_probabilistic_linkage']) }}
{#- Crimes per defendant-case, per police force area and month, so crime-based figures (the police count crimes and
    crime-suspects) and defendant-based ones (the CPS and HMCTS count defendant-cases) can be put on one basis. The
    number of crimes in a defendant-case is the CPS's NUMBER_OF_CHARGES, known once the CPS has finalised it:
      - finalised basis: over the defendant-cases the CPS finalised in the month (complete for every month);
      - received basis: over the magistrates' court receipts (first listings) of the month whose CPS finalisation is
        linked (int_case_journey); receipts not finalised yet are left out and counted, so the figure is complete
        only when receipts_charges_known = hmcts_mc_receipts.
    police_defendant_cases_charged_estimate divides the police's crime-suspects charged by the finalised-basis
    crimes per defendant-case of the month: an estimate (is_estimate), the police count no defendant-cases. -#}
with finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

),

journey as (

    select * from {{ ref('int_case_journey') }}

),

flows as (

    select * from {{ ref('reconcile_flows_by_area_month') }}

),

finalised_basis as (

    select
        area_code,
        finalisation_month as month_start,
        count(*) as cps_finalisations,
        sum(number_of_charges) as cps_finalised_charges
    from finalisations
    group by all

),

receipts_with_charges as (

    select
        journey.area_code,
        cast(date_trunc('month', journey.first_hearing_date) as date) as month_start,
        finalisations.number_of_charges
    from journey
    left join finalisations
        on journey.cps_defendant_key = finalisations.defendant_key
    where journey.first_hearing_source = 'hmcts_mc_cases'

),

received_basis as (

    select
        area_code,
        month_start,
        count(*) as hmcts_mc_receipts,
        count(number_of_charges) as receipts_charges_known,
        sum(number_of_charges) as receipts_charges
    from receipts_with_charges
    group by all

),

conversion as (

    select
        flows.area_code,
        flows.month_start,
        finalised_basis.cps_finalisations,
        cast(finalised_basis.cps_finalised_charges as bigint) as cps_finalised_charges,
        finalised_basis.cps_finalised_charges / finalised_basis.cps_finalisations
            as crimes_per_defendant_case_finalised,
        received_basis.hmcts_mc_receipts,
        received_basis.receipts_charges_known,
        cast(received_basis.receipts_charges as bigint) as receipts_charges,
        received_basis.receipts_charges / nullif(received_basis.receipts_charges_known, 0)
            as crimes_per_defendant_case_received,
        flows.police_charges_crime_suspects,
        round(flows.police_charges_crime_suspects
            / (finalised_basis.cps_finalised_charges / finalised_basis.cps_finalisations)) as police_defendant_cases_charged_estimate,
        true as is_estimate,
        'in_period' as counting_basis,
        flows.as_at
    from flows
    left join finalised_basis
        on flows.area_code = finalised_basis.area_code and flows.month_start = finalised_basis.month_start
    left join received_basis
        on flows.area_code = received_basis.area_code and flows.month_start = received_basis.month_start

)

select * from conversion
