-- The floor of the national benchmark: the core published measures computed straight from the landing zone's CSV
-- files with DuckDB, nothing around them (no validation, quarantine, pseudonymisation, history, dbt, tests, quality
-- gates or publication). What no pipeline over these files can beat; benchmarks/national_benchmark.py times it.
--
-- Run with two variables set (the landing zone, and the dbt project's seeds for the code lists):
--   set variable landing = '/path/to/landing'; set variable seeds = '/path/to/dbt_project/seeds';
-- It leaves table floor_measures: measure_id, area_code, period_start (the month), numerator, denominator, value:
-- one row per measure, police force area and month of an extract file with at least one row. The definitions follow
-- scorecard_definitions/measures/<agency>/<measure>.yaml; an area is the force as its publisher names it, else the
-- force number its crime reference starts with; the CPS's joint "Metropolitan and City" is the force its URN starts
-- with when that is one of the two, else the first of them. Rows are counted as the extract's primary key allows (as
-- the data dictionary says, not as the pipeline is built): a key repeated within a file is not trusted (no copy
-- counts), and a key delivered in an earlier month's file is a re-send (the later copy does not count).
-- XLSX extracts (HMCTS hearings and Crown Court cases) are left out: read_csv cannot read them.

create or replace temp table force_names as
select force_name, area_code
from read_csv(getvariable('seeds') || '/ref_force_name_aliases.csv', all_varchar = true)
where covers_several_areas = 'N';

-- every publisher's spelling, joint names included
create or replace temp table force_name_areas as
select force_name, area_code
from read_csv(getvariable('seeds') || '/ref_force_name_aliases.csv', all_varchar = true);

create or replace temp table force_numbers as
select force_number, area_code
from read_csv(getvariable('seeds') || '/ref_police_force_areas.csv', all_varchar = true);

create or replace temp table court_centres as
select court_type, court_code, area_code
from read_csv(getvariable('seeds') || '/ref_court_centres.csv', all_varchar = true);

-- police: crimes recorded (New rows) and outcomes (the outcome row of the file of the outcome's month)
create or replace temp table police_crimes as
with crime_rows as (
    select
        trim("Force") as force_name,
        split_part("Crime Reference", '/', 1) as force_number,
        strptime("Recorded Date", '%d/%m/%Y')::date as recorded_date,
        "Victim Sex" is not null as has_victim,
        "DA Flag" = 'Y' as is_domestic_abuse,
        "Outcome Code" as outcome_code,
        strptime("Outcome Date", '%d/%m/%Y')::date as outcome_date,
        "Record Status" = 'New' as is_new_record,
        regexp_extract(filename, '(\d{4}-\d{2})\.csv$', 1) as reporting_month
    from read_csv(getvariable('landing') || '/police/crimes/police_crimes_*.csv', all_varchar = true, filename = true)
)
select coalesce(force_names.area_code, force_numbers.area_code) as area_code, crime_rows.*
from crime_rows
left join force_names on crime_rows.force_name = force_names.force_name
left join force_numbers on crime_rows.force_number = force_numbers.force_number;

-- cps: pre-charge responses (a row per suspect) and finalisations (a row per defendant-case)
create or replace temp table cps_precharge as
with response_rows as (
    select
        filename,
        trim("POLICE_FORCE") as force_name,
        "POLICE_CRIME_REF" as crime_reference,
        "SUSPECT_DOB" as suspect_dob,
        "DATE_SUBMITTED"::date as submitted_date,
        "DATE_FIRST_RECEIVED"::date as first_received_date,
        "DATE_OF_RESPONSE"::date as response_date,
        "RESPONSE_TYPE" as response_type
    from read_csv(
        getvariable('landing') || '/cps/precharge_decisions/cps_precharge_decisions_*.csv', all_varchar = true,
        filename = true
    )
),

-- the key: crime reference, suspect's date of birth, response type and date
unique_in_file as (
    select * from response_rows
    qualify count(*) over (partition by filename, crime_reference, suspect_dob, response_type, response_date) = 1
),

first_delivered as (
    select * exclude (filename, suspect_dob) from unique_in_file
    qualify filename = min(filename) over (partition by crime_reference, suspect_dob, response_type, response_date)
)

select coalesce(force_names.area_code, force_numbers.area_code) as area_code, first_delivered.*
from first_delivered
left join force_names on first_delivered.force_name = force_names.force_name
left join force_numbers on substr(first_delivered.crime_reference, 1, 2) = force_numbers.force_number;

create or replace temp table cps_finalisations as
with finalisation_rows as (
    select
        filename,
        trim("POLICE_FORCE") as force_name,
        "URN" as urn,
        "DEFENDANT_ID" as defendant_id,
        upper(regexp_replace("URN", '[^A-Za-z0-9]', '', 'g')) as urn_key,
        "FINALISATION_DATE"::date as finalisation_date,
        "OUTCOME_CATEGORY" = 'Conviction' as is_conviction,
        "OUTCOME_CATEGORY" <> 'Conviction' as is_unsuccessful
    from read_csv(
        getvariable('landing') || '/cps/finalisations/cps_finalisations_*.csv', all_varchar = true, filename = true
    )
),

-- a defendant-case (URN and defendant ID) is finalised once
unique_in_file as (
    select * from finalisation_rows
    qualify count(*) over (partition by filename, urn, defendant_id) = 1
),

first_delivered as (
    select * from unique_in_file
    qualify filename = min(filename) over (partition by urn, defendant_id)
),

-- the area a name means when its URN does not say (for a joint name, the first of its areas)
named_areas as (
    select force_name, min(area_code) as default_area_code from force_name_areas group by force_name
)

select coalesce(urn_areas.area_code, named_areas.default_area_code) as area_code, first_delivered.*
from first_delivered
inner join named_areas on first_delivered.force_name = named_areas.force_name
left join force_numbers on substr(first_delivered.urn_key, 1, 2) = force_numbers.force_number
left join force_name_areas as urn_areas
    on first_delivered.force_name = urn_areas.force_name and force_numbers.area_code = urn_areas.area_code;

-- hmcts: magistrates' court receipts and disposals, and the month-end outstanding caseload, placed by court centre
create or replace temp table mc_flows as
select
    court_centres.area_code,
    lower(mc_rows."Record Type") as record_type,
    strptime(
        case lower(mc_rows."Record Type") when 'receipt' then mc_rows."First Listing Date" else mc_rows."Disposal Date" end,
        '%d-%b-%Y'
    )::date as event_date
from read_csv(getvariable('landing') || '/hmcts/mc_cases/hmcts_mc_cases_*.csv', all_varchar = true) as mc_rows
left join court_centres
    on court_centres.court_type = 'MC' and mc_rows."Court Code" = court_centres.court_code;

create or replace temp table mc_outstanding as
select court_centres.area_code, outstanding_rows."As At Date"::date as snapshot_date
from read_csv(
    getvariable('landing') || '/hmcts/outstanding/hmcts_outstanding_*.csv', all_varchar = true
) as outstanding_rows
inner join court_centres
    on court_centres.court_type = 'MC' and outstanding_rows."Court Code" = court_centres.court_code
where outstanding_rows."Court Type" = 'Magistrates'' Court';

-- the months each extract delivered (a figure is only given for a month its extract covers)
create or replace temp table extract_months as
select distinct extract, strptime(regexp_extract(file, '(\d{4}-\d{2})\.csv$', 1), '%Y-%m')::date as month_start
from (
    select 'police_crimes' as extract, file from glob(getvariable('landing') || '/police/crimes/police_crimes_*.csv')
    union all
    select 'cps_precharge_decisions', file
    from glob(getvariable('landing') || '/cps/precharge_decisions/cps_precharge_decisions_*.csv')
    union all
    select 'cps_finalisations', file from glob(getvariable('landing') || '/cps/finalisations/cps_finalisations_*.csv')
    union all
    select 'hmcts_mc_cases', file from glob(getvariable('landing') || '/hmcts/mc_cases/hmcts_mc_cases_*.csv')
    union all
    select 'hmcts_outstanding', file from glob(getvariable('landing') || '/hmcts/outstanding/hmcts_outstanding_*.csv')
);

-- per measure, area and month: the count (no denominator), or a numerator and denominator and the scale of the
-- value (100 for a percentage, 1 for a mean or ratio)
create or replace temp table floor_amounts as
select 'total_victims' as measure_id, 'police_crimes' as extract, area_code,
    date_trunc('month', recorded_date) as period_start, count(*) as numerator, null as denominator, null as scale
from police_crimes where is_new_record and has_victim group by all
union all
select 'da_crimes', 'police_crimes', area_code, date_trunc('month', recorded_date), count(*), null, null
from police_crimes where is_new_record and is_domestic_abuse group by all
union all
select 'outcome_15_16_pct', 'police_crimes', area_code, date_trunc('month', outcome_date),
    count(*) filter (where outcome_code in ('15', '16')), count(*), 100
from police_crimes
where outcome_code is not null and strftime(outcome_date, '%Y-%m') = reporting_month
group by all
union all
-- mean days from submission to the CPS's response, over responses (a response covers its suspects: one row each)
select 'precharge_timeliness_cps_days', 'cps_precharge_decisions', area_code, date_trunc('month', response_date),
    sum(response_date - submitted_date), count(*), 1
from (
    select distinct area_code, force_name, crime_reference, first_received_date, submitted_date, response_date,
        response_type
    from cps_precharge
)
group by all
union all
select 'overall_conviction_rate', 'cps_finalisations', area_code, date_trunc('month', finalisation_date),
    count(*) filter (where is_conviction), count(*), 100
from cps_finalisations group by all
union all
select 'unsuccessful_outcomes', 'cps_finalisations', area_code, date_trunc('month', finalisation_date), count(*), null,
    null
from cps_finalisations where is_unsuccessful group by all
union all
select 'mc_receipts', 'hmcts_mc_cases', area_code, date_trunc('month', event_date), count(*), null, null
from mc_flows where record_type = 'receipt' group by all
union all
select 'mc_disposals', 'hmcts_mc_cases', area_code, date_trunc('month', event_date), count(*), null, null
from mc_flows where record_type = 'disposal' group by all
union all
select 'mc_receipts_per_finalisation', 'hmcts_mc_cases', area_code, date_trunc('month', event_date),
    count(*) filter (where record_type = 'receipt'), count(*) filter (where record_type = 'disposal'), 1
from mc_flows group by all
union all
select 'mc_outstanding', 'hmcts_outstanding', area_code, date_trunc('month', snapshot_date), count(*), null, null
from mc_outstanding where snapshot_date = last_day(snapshot_date) group by all;

create or replace temp table floor_measures as
select
    floor_amounts.measure_id,
    floor_amounts.area_code,
    floor_amounts.period_start::date as period_start,
    floor_amounts.numerator::double as numerator,
    floor_amounts.denominator::double as denominator,
    case
        when floor_amounts.scale is null then floor_amounts.numerator
        else floor_amounts.numerator / nullif(floor_amounts.denominator, 0) * floor_amounts.scale
    end::double as value
from floor_amounts
inner join extract_months
    on floor_amounts.extract = extract_months.extract
    and floor_amounts.period_start = extract_months.month_start;
