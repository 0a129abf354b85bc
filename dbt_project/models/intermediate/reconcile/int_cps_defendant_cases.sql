{#- Defendant-cases the CPS knows from its own extracts, with the date the CPS charged them and the date it finalised
    them: the dates a CPS live caseload is derived from. A defendant-case is the URN and the defendant's date of birth
    (keyed hash); a charge decision without a URN is keyed by its crime reference instead. A charge and a finalisation
    are the same defendant-case when both keys agree, else (a URN missing or mistyped in one extract) when the date of
    birth agrees, the URNs are at most two characters apart or one is missing, the finalisation is not before the
    charge, and neither has another such candidate (match_method urn or dob_and_similar_urn). Charge dates exist only for
    charges decided by the CPS (pre-charge decisions with response Charge) in the months loaded: police-charged
    defendant-cases and charges before the first month loaded have none. -#}
with precharge_decisions as (

    select * from {{ ref('int_cps_precharge_decisions_with_area') }}

),

finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

),

cps_charges as (

    select
        area_code,
        coalesce(urn_key, 'crime:' || crime_reference_key) as case_key,
        suspect_dob_key as dob_key,
        min(date_of_response) as cps_charge_date,
        count(*) as crime_suspects_charged
    from precharge_decisions
    where response_type = 'charge'
    group by all

),

cps_finalisations as (

    select
        area_code,
        coalesce(urn_key, 'defendant:' || defendant_key) as case_key,
        defendant_dob_key as dob_key,
        min(finalisation_date) as finalisation_date,
        min(court_type) as finalisation_court_type
    from finalisations
    group by all

),

urn_matches as (

    select
        cps_charges.area_code,
        cps_charges.case_key as charge_case_key,
        cps_charges.dob_key,
        cps_finalisations.case_key as finalisation_case_key,
        'urn' as match_method
    from cps_charges
    inner join cps_finalisations
        using (area_code, case_key, dob_key)

),

unmatched_charges as (

    select cps_charges.*
    from cps_charges
    anti join urn_matches
        on cps_charges.area_code = urn_matches.area_code
        and cps_charges.case_key = urn_matches.charge_case_key
        and cps_charges.dob_key = urn_matches.dob_key

),

unmatched_finalisations as (

    select cps_finalisations.*
    from cps_finalisations
    anti join urn_matches
        on cps_finalisations.area_code = urn_matches.area_code
        and cps_finalisations.case_key = urn_matches.finalisation_case_key
        and cps_finalisations.dob_key = urn_matches.dob_key

),

similar_urn_matches as (

    {#- between records the URN left unmatched, and only where each has one candidate (a repeat defendant has the
        same date of birth on each of their cases, and URNs of one station and year differ by a digit or two) -#}
    select
        unmatched_charges.area_code,
        unmatched_charges.case_key as charge_case_key,
        unmatched_charges.dob_key,
        unmatched_finalisations.case_key as finalisation_case_key,
        'dob_and_similar_urn' as match_method
    from unmatched_charges
    inner join unmatched_finalisations
        on unmatched_charges.area_code = unmatched_finalisations.area_code
        and unmatched_charges.dob_key = unmatched_finalisations.dob_key
        and unmatched_finalisations.finalisation_date >= unmatched_charges.cps_charge_date
        and (
            unmatched_charges.case_key like 'crime:%'
            or unmatched_finalisations.case_key like 'defendant:%'
            or levenshtein(unmatched_charges.case_key, unmatched_finalisations.case_key) <= 2
        )
    qualify count(*) over (
            partition by unmatched_charges.area_code, unmatched_charges.case_key, unmatched_charges.dob_key
        ) = 1
        and count(*) over (
            partition by unmatched_finalisations.area_code, unmatched_finalisations.case_key,
                unmatched_finalisations.dob_key
        ) = 1

),

charge_matches as (

    select * from urn_matches
    union all
    select * from similar_urn_matches

),

charges_by_defendant_case as (

    select
        cps_charges.area_code,
        coalesce(charge_matches.finalisation_case_key, cps_charges.case_key) as case_key,
        cps_charges.dob_key,
        min(cps_charges.cps_charge_date) as cps_charge_date,
        sum(cps_charges.crime_suspects_charged) as crime_suspects_charged,
        min(charge_matches.match_method) as match_method
    from cps_charges
    left join charge_matches
        on cps_charges.area_code = charge_matches.area_code
        and cps_charges.case_key = charge_matches.charge_case_key
        and cps_charges.dob_key = charge_matches.dob_key
    group by all

),

defendant_cases as (

    select
        area_code,
        case_key,
        dob_key,
        charges_by_defendant_case.cps_charge_date,
        charges_by_defendant_case.crime_suspects_charged,
        cps_finalisations.finalisation_date,
        cps_finalisations.finalisation_court_type,
        charges_by_defendant_case.match_method
    from charges_by_defendant_case
    full outer join cps_finalisations
        using (area_code, case_key, dob_key)

)

select * from defendant_cases
