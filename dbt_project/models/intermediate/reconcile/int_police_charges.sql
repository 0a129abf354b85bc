{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='_reporting_month') }}
{#- Crimes the police charged (Home Office outcome 1 or 1A: charged/summonsed), one row per crime, on the outcome date,
    with the suspects identified: all of a charged crime's suspects are charged, so they are the crime-suspects
    charged (the police's counting unit). A crime appears with its outcome once, in the delivery of the month the
    outcome was assigned (an outcome-update row, or the new-record row when recorded and charged in the same month).
    Incremental by reporting month: only months whose delivery is new or changed are rebuilt (delete+insert). -#}
with deliveries as (

    select * from {{ ref('int_extract_deliveries') }}
    where extract = 'police_crimes'

),

crimes as (

    select * from {{ ref('stg_police__crimes') }}
    {{ changed_delivery_months('deliveries') }}

),

outcome_codes as (

    select * from {{ ref('ref_ho_outcome_codes') }}

),

force_aliases as (

    select * from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

charged_crimes as (

    select
        force_aliases.area_code,
        crimes.crime_reference,
        crimes.outcome_code,
        crimes.outcome_date as charge_date,
        cast(date_trunc('month', crimes.outcome_date) as date) as charge_month,
        crimes.suspects_identified as crime_suspects_charged,
        crimes.is_domestic_abuse,
        crimes.is_rasso,
        crimes._reporting_month,
        deliveries.delivery_fingerprint as _delivery_fingerprint
    from crimes
    inner join outcome_codes
        on crimes.outcome_code = outcome_codes.outcome_code
    inner join deliveries
        on crimes._reporting_month = deliveries.reporting_month
    left join force_aliases
        on crimes.force_name = force_aliases.force_name
    where outcome_codes.outcome_group = 'charge_summons'
        and date_trunc('month', crimes.outcome_date) = cast(crimes._reporting_month || '-01' as date)

)

select * from charged_crimes
