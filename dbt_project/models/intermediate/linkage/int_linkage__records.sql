{#- One row per record each agency keeps of a prosecution, in a common shape: police charged crime-suspects (pre-charge
    charging decisions and charged-awaiting-court live caseload rows), CPS finalised defendant-cases, HMCTS MC and CC
    defendant-cases (receipt and disposal rows folded together). A record written with different URNs in different
    rows (a mistyped URN in one month) keeps every variant in urn_keys; urn_key is the most frequent well-formed one. -#}
with police_charge_rows as (

    select
        'police' as agency,
        'police_charges' as source,
        crime_reference || '|' || suspect_key as record_key,
        urn_key,
        cast(null as varchar) as dob_key,
        force_name,
        offence_code as offence,
        cast(null as varchar) as court_code,
        cast(null as varchar) as court_type,
        event_date as charge_date,
        cast(null as date) as first_court_date,
        cast(null as date) as disposal_date,
        cast(null as varchar) as disposal_type,
        _reporting_month
    from {{ ref('stg_police__precharge') }}
    where event_type = 'charging_decision_received' and decision = 'charge'

    union all

    select
        'police',
        'police_charges',
        crime_reference || '|' || suspect_key,
        urn_key,
        null,
        force_name,
        offence_code,
        null,
        null,
        status_date,
        null,
        null,
        null,
        _reporting_month
    from {{ ref('stg_police__live_caseload') }}
    where caseload_status = 'charged_awaiting_court' and suspect_key is not null

),

cps_finalisation_rows as (

    select
        'cps' as agency,
        'cps_finalisations' as source,
        defendant_key as record_key,
        urn_key,
        defendant_dob_key as dob_key,
        force_name,
        principal_offence_category as offence,
        cast(null as varchar) as court_code,
        court_type,
        cast(null as date) as charge_date,
        cast(null as date) as first_court_date,
        finalisation_date as disposal_date,
        outcome as disposal_type,
        _reporting_month
    from {{ ref('stg_cps__finalisations') }}

),

hmcts_mc_rows as (

    select
        'hmcts' as agency,
        'hmcts_mc_cases' as source,
        case_number as record_key,
        urn_key,
        defendant_dob_key as dob_key,
        cast(null as varchar) as force_name,
        principal_offence as offence,
        court_code,
        'MC' as court_type,
        cast(null as date) as charge_date,
        first_listing_date as first_court_date,
        disposal_date,
        disposal_type,
        _reporting_month
    from {{ ref('stg_hmcts__mc_cases') }}

),

hmcts_cc_rows as (

    select
        'hmcts' as agency,
        'hmcts_cc_cases' as source,
        {{ crown_court_case_key('court_code', 'case_number') }} as record_key,
        urn_key,
        defendant_dob_key as dob_key,
        cast(null as varchar) as force_name,
        principal_offence as offence,
        court_code,
        'CC' as court_type,
        cast(null as date) as charge_date,
        receipt_date as first_court_date,
        disposal_date,
        disposal_type,
        _reporting_month
    from {{ ref('stg_hmcts__cc_cases') }}

),

record_rows as (

    select * from police_charge_rows
    union all
    select * from cps_finalisation_rows
    union all
    select * from hmcts_mc_rows
    union all
    select * from hmcts_cc_rows

),

urn_variants as (

    select
        source,
        record_key,
        urn_key,
        regexp_full_match(urn_key, '{{ var("linkage_urn_pattern", "[0-9]{2}[A-Z]{2}[0-9]{5}[0-9]{2}") }}') as is_well_formed,
        count(*) as row_count
    from record_rows
    where urn_key is not null
    group by source, record_key, urn_key

),

urns_per_record as (

    select
        source,
        record_key,
        list(urn_key order by urn_key) as urn_keys,
        first(urn_key order by is_well_formed desc, row_count desc, urn_key) as urn_key,
        bool_or(is_well_formed) as has_well_formed_urn
    from urn_variants
    group by source, record_key

),

records as (

    select
        any_value(agency) as agency,
        source,
        record_key,
        max(dob_key) as dob_key,
        max(force_name) as force_name,
        max(offence) as offence,
        max(court_code) as court_code,
        max(court_type) as court_type,
        min(charge_date) as charge_date,
        min(first_court_date) as first_court_date,
        max(disposal_date) as disposal_date,
        max(disposal_type) as disposal_type,
        min(_reporting_month) as first_reporting_month,
        max(_reporting_month) as last_reporting_month
    from record_rows
    group by source, record_key

),

force_areas as (

    select area_code, force_number from {{ ref('ref_police_force_areas') }}

),

force_aliases as (

    select force_name, area_code from {{ ref('ref_force_name_aliases') }} where covers_several_areas = 'N'

),

records_with_area as (

    select
        records.agency,
        records.source,
        records.record_key,
        urns_per_record.urn_key,
        coalesce(urns_per_record.urn_keys, []) as urn_keys,
        urns_per_record.urn_key is not null as has_urn,
        coalesce(urns_per_record.has_well_formed_urn, false) as has_well_formed_urn,
        records.dob_key,
        coalesce(urn_force.area_code, named_force.area_code) as area_code,
        records.offence,
        records.court_code,
        records.court_type,
        records.charge_date,
        records.first_court_date,
        records.disposal_date,
        records.disposal_type,
        records.first_reporting_month,
        records.last_reporting_month
    from records
    left join urns_per_record
        on records.source = urns_per_record.source and records.record_key = urns_per_record.record_key
    left join force_areas as urn_force
        on urns_per_record.has_well_formed_urn and substr(urns_per_record.urn_key, 1, 2) = urn_force.force_number
    left join force_aliases as named_force
        on records.force_name = named_force.force_name

)

select * from records_with_area
