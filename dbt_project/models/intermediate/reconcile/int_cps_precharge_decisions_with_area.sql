{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='_reporting_month') }}
{#- Every CPS pre-charge response (action plan or charging decision), one row per response and suspect, in the police
    force area of its crime: the crime reference starts with the force number, which places each row exactly (the
    CPS's force name is joint for the Metropolitan Police and the City of London). A file is the crime reference.
    Incremental by reporting month: only months whose delivery is new or changed are rebuilt (delete+insert). -#}
with deliveries as (

    select * from {{ ref('int_extract_deliveries') }}
    where extract = 'cps_precharge_decisions'

),

responses as (

    select * from {{ ref('stg_cps__precharge_decisions') }}
    {{ changed_delivery_months('deliveries') }}

),

force_areas as (

    select * from {{ ref('ref_police_force_areas') }}

),

responses_with_area as (

    select
        force_areas.area_code,
        responses.cps_area,
        responses.crime_reference_key,
        responses.urn_key,
        responses.suspect_dob_key,
        responses.response_type,
        responses.response_type in ('charge', 'nfa_evidential', 'nfa_public_interest') as is_charging_decision,
        responses.date_first_received,
        responses.date_of_response,
        cast(date_trunc('month', responses.date_first_received) as date) as received_month,
        cast(date_trunc('month', responses.date_of_response) as date) as response_month,
        responses._reporting_month,
        deliveries.delivery_fingerprint as _delivery_fingerprint
    from responses
    inner join deliveries
        on responses._reporting_month = deliveries.reporting_month
    left join force_areas
        on substr(responses.crime_reference_key, 1, 2) = force_areas.force_number

)

select * from responses_with_area
