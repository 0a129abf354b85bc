{#- The case journey: one row per defendant-case HMCTS knows of (HMCTS counts a case per defendant), with its key dates,
    outcome, court, area and flags, and how sure each joined part is (the linkage method).
    Grain and key (defendant_case_key):
      - every magistrates' court case number in any HMCTS extract (mc_cases receipts and disposals, the MC outstanding
        snapshot, MC hearings): key = the MC case number; its Crown Court case (if sent) is joined through the
        hmcts_mc-hmcts_cc case link;
      - plus every Crown Court case not linked to an MC case (sent before the first month loaded, or its MC case
        unlinkable): key = court code / CC case number (CC numbers repeat between Crown Courts).
    MC case numbers and CC keys have different shapes, so the key never collides. Joined parts:
      - CPS finalisation: cps-hmcts link (defendant level: URN + date of birth, or probabilistic) to the MC case (kept
        in the MC) or to the CC case;
      - police charged crime-suspects: police-hmcts_mc links to the MC case and police-cps links to the CPS
        finalisation (case level: URN only, so co-defendants share them); their crimes give offence and recorded
        dates and flags; police pre-charge events of those crimes give the referral and the charging decision. -#}
with mc_case_rows as (

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        first_listing_date,
        disposal_date,
        disposal_type,
        1 as source_rank
    from {{ ref('stg_hmcts__mc_cases') }}

    union all

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        receipt_date,
        null,
        null,
        2
    from {{ ref('stg_hmcts__outstanding') }}
    where court_type = 'MC'

    union all

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        case when hearing_number = 1 or hearing_type = 'first_hearing' then hearing_date end,
        null,
        null,
        3
    from {{ ref('stg_hmcts__hearings') }}
    where court_type = 'MC'

),

mc_cases as (

    select
        case_number as mc_case_number,
        first(court_code order by source_rank) as mc_court_code,
        first(court_name order by source_rank) as mc_court_name,
        first(urn_key order by source_rank) filter (where urn_key is not null) as mc_urn_key,
        first(first_listing_date order by source_rank, first_listing_date)
            filter (where first_listing_date is not null) as first_hearing_date,
        first(
            case source_rank when 1 then 'hmcts_mc_cases' when 2 then 'hmcts_outstanding' else 'hmcts_hearings' end
            order by source_rank, first_listing_date
        ) filter (where first_listing_date is not null) as first_hearing_source,
        max(disposal_date) as mc_disposal_date,
        max(disposal_type) as mc_disposal_type
    from mc_case_rows
    group by case_number

),

cc_case_rows as (

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        receipt_date,
        disposal_date,
        disposal_type,
        1 as source_rank
    from {{ ref('stg_hmcts__cc_cases') }}

    union all

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        receipt_date,
        null,
        null,
        2
    from {{ ref('stg_hmcts__outstanding') }}
    where court_type = 'CC'

    union all

    select
        case_number,
        court_code,
        court_name,
        urn_key,
        null,
        null,
        null,
        3
    from {{ ref('stg_hmcts__hearings') }}
    where court_type = 'CC'

),

cc_cases as (

    select
        {{ crown_court_case_key('court_code', 'case_number') }} as cc_case_key,
        case_number as cc_case_number,
        first(court_code order by source_rank) as cc_court_code,
        first(court_name order by source_rank) as cc_court_name,
        first(urn_key order by source_rank) filter (where urn_key is not null) as cc_urn_key,
        min(receipt_date) as cc_receipt_date,
        max(disposal_date) as cc_disposal_date,
        max(disposal_type) as cc_disposal_type
    from cc_case_rows
    group by court_code, case_number

),

case_links as (

    select * from {{ ref('int_linkage__case_links') }}

),

mc_cc_links as (

    select
        left_record_key as mc_case_number,
        right_record_key as cc_case_key,
        method as cc_link_method,
        match_probability as cc_link_probability
    from case_links
    where pair_id = 'hmcts_mc-hmcts_cc'
    qualify row_number() over (partition by left_record_key order by match_probability desc, right_record_key) = 1
        and row_number() over (partition by right_record_key order by match_probability desc, left_record_key) = 1

),

defendant_cases as (

    select
        coalesce(mc_cases.mc_case_number, cc_cases.cc_case_key) as defendant_case_key,
        mc_cases.*,
        cc_cases.*,
        mc_cc_links.cc_link_method,
        mc_cc_links.cc_link_probability
    from mc_cases
    left join mc_cc_links
        on mc_cases.mc_case_number = mc_cc_links.mc_case_number
    full outer join cc_cases
        on mc_cc_links.cc_case_key = cc_cases.cc_case_key

),

cps_finalisations as (

    select
        defendant_key,
        max(finalisation_date) as finalisation_date,
        arg_max(court_type, finalisation_date) as court_type,
        arg_max(outcome, finalisation_date) as outcome,
        arg_max(is_conviction, finalisation_date) as is_conviction,
        arg_max(unsuccessful_reason, finalisation_date) as unsuccessful_reason,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_hate_crime) as is_hate_crime,
        bool_or(is_rasso) as is_rasso
    from {{ ref('stg_cps__finalisations') }}
    group by defendant_key

),

cps_links as (

    select
        right_record_key as hmcts_case_key,
        left_record_key as cps_defendant_key,
        method as cps_link_method,
        match_probability as cps_link_probability
    from case_links
    where pair_id = 'cps-hmcts'
    qualify row_number() over (partition by right_record_key order by match_probability desc, left_record_key) = 1

),

-- the CPS links of the case's MC case and of its CC case: two equi-joins (one join on either key would compare every
-- case with every link)
defendant_case_cps_links as (

    select defendant_cases.defendant_case_key, cps_links.*
    from defendant_cases
    inner join cps_links
        on cps_links.hmcts_case_key = defendant_cases.mc_case_number

    union all

    select defendant_cases.defendant_case_key, cps_links.*
    from defendant_cases
    inner join cps_links
        on cps_links.hmcts_case_key = defendant_cases.cc_case_key

),

defendant_case_cps as (

    select defendant_case_key, cps_defendant_key, cps_link_method, cps_link_probability
    from defendant_case_cps_links
    qualify row_number() over (
        partition by defendant_case_key order by cps_link_probability desc, cps_defendant_key
    ) = 1

),

police_links as (

    select
        defendant_cases.defendant_case_key,
        case_links.left_record_key as police_record_key,
        'hmcts_mc' as linked_via,
        case_links.method
    from defendant_cases
    inner join case_links
        on case_links.pair_id = 'police-hmcts_mc'
        and case_links.right_record_key = defendant_cases.mc_case_number

    union all

    select
        defendant_case_cps.defendant_case_key,
        case_links.left_record_key,
        'cps',
        case_links.method
    from defendant_case_cps
    inner join case_links
        on case_links.pair_id = 'police-cps'
        and case_links.right_record_key = defendant_case_cps.cps_defendant_key

),

police_records as (

    select record_key, charge_date, area_code
    from {{ ref('int_linkage__records') }}
    where source = 'police_charges'

),

crimes as (

    select
        crime_reference,
        min(recorded_date) as recorded_date,
        min(offence_date) as offence_date,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_hate_crime) as is_hate_crime,
        bool_or(is_rasso) as is_rasso
    from {{ ref('stg_police__crimes') }}
    group by crime_reference

),

live_caseload_crimes as (

    select
        crime_reference,
        min(recorded_date) as recorded_date,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_hate_crime) as is_hate_crime,
        bool_or(is_rasso) as is_rasso
    from {{ ref('stg_police__live_caseload') }}
    group by crime_reference

),

precharge_crimes as (

    select
        crime_reference,
        min(event_date) filter (where event_type = 'referred_to_cps') as referral_date,
        min(event_date) filter (where event_type = 'charging_decision_received') as charging_decision_date
    from {{ ref('stg_police__precharge') }}
    group by crime_reference

),

youth_by_suspect as (

    select crime_reference || '|' || suspect_key as police_record_key, bool_or(is_youth_suspect) as is_youth
    from {{ ref('stg_police__live_caseload') }}
    where suspect_key is not null
    group by all

    union all

    select crime_reference || '|' || suspect_key, bool_or(age_at_arrest < 18)
    from {{ ref('stg_police__arrests') }}
    where suspect_key is not null
    group by all

),

police_parts as (

    select
        police_links.defendant_case_key,
        police_links.police_record_key,
        split_part(police_links.police_record_key, '|', 1) as crime_reference,
        split_part(police_links.police_record_key, '|', 2) as suspect_key,
        police_links.linked_via,
        police_links.method,
        police_records.charge_date,
        police_records.area_code
    from police_links
    inner join police_records
        on police_links.police_record_key = police_records.record_key

),

police_by_case as (

    select
        police_parts.defendant_case_key,
        min(police_parts.charge_date) as charge_date,
        min(coalesce(crimes.offence_date, crimes.recorded_date)) as offence_date,
        min(coalesce(crimes.recorded_date, live_caseload_crimes.recorded_date)) as recorded_date,
        min(precharge_crimes.referral_date) as referral_date,
        min(precharge_crimes.charging_decision_date) as charging_decision_date,
        count(distinct police_parts.crime_reference) as police_crime_count,
        count(distinct police_parts.suspect_key) as police_suspect_count,
        bool_or(coalesce(crimes.is_domestic_abuse, live_caseload_crimes.is_domestic_abuse)) as is_domestic_abuse,
        bool_or(coalesce(crimes.is_hate_crime, live_caseload_crimes.is_hate_crime)) as is_hate_crime,
        bool_or(coalesce(crimes.is_rasso, live_caseload_crimes.is_rasso)) as is_rasso,
        bool_or(youth_by_suspect.is_youth) as any_suspect_youth,
        case
            when bool_or(police_parts.linked_via = 'hmcts_mc') and bool_or(police_parts.linked_via = 'cps')
                then 'hmcts_mc_and_cps'
            when bool_or(police_parts.linked_via = 'hmcts_mc') then 'hmcts_mc'
            else 'cps'
        end as police_linked_via,
        min(police_parts.method) as police_link_method,
        min(police_parts.area_code) as police_area_code
    from police_parts
    left join crimes
        on police_parts.crime_reference = crimes.crime_reference
    left join live_caseload_crimes
        on police_parts.crime_reference = live_caseload_crimes.crime_reference
    left join precharge_crimes
        on police_parts.crime_reference = precharge_crimes.crime_reference
    left join youth_by_suspect
        on police_parts.police_record_key = youth_by_suspect.police_record_key
    group by police_parts.defendant_case_key

),

-- the case's hearings: in the magistrates' court by MC case number, at the Crown Court by court and CC case number
-- (two equi-joins, as above)
case_hearings as (

    select defendant_cases.defendant_case_key, hearings.*
    from defendant_cases
    inner join {{ ref('stg_hmcts__hearings') }} as hearings
        on hearings.case_number = defendant_cases.mc_case_number
    where hearings.court_type = 'MC'

    union all

    select defendant_cases.defendant_case_key, hearings.*
    from defendant_cases
    inner join {{ ref('stg_hmcts__hearings') }} as hearings
        on hearings.court_code = defendant_cases.cc_court_code
        and hearings.case_number = defendant_cases.cc_case_number
    where hearings.court_type = 'CC'

),

trial_listings as (

    select
        defendant_case_key,
        count(*) filter (where hearing_type = 'trial') as trial_listings,
        count(*) filter (where trial_effectiveness = 'ineffective') as ineffective_trial_listings,
        count(*) filter (where trial_effectiveness = 'cracked') as cracked_trial_listings,
        min(hearing_date) filter (where trial_effectiveness = 'effective') as effective_trial_date,
        arg_min(court_type, hearing_date) filter (where trial_effectiveness = 'effective') as effective_trial_court_type,
        min(hearing_date) filter (where hearing_type = 'trial') as first_trial_listing_date,
        count(*) as hearings_in_data
    from case_hearings
    group by defendant_case_key

),

court_centres as (

    select court_code, area_code from {{ ref('ref_court_centres') }}

),

force_areas as (

    select area_code, force_number from {{ ref('ref_police_force_areas') }}

),

journey as (

    select
        defendant_cases.defendant_case_key,
        defendant_cases.mc_case_number,
        defendant_cases.cc_case_number,
        cps.cps_defendant_key,
        coalesce(defendant_cases.mc_urn_key, defendant_cases.cc_urn_key) as urn_key,
        coalesce(mc_court.area_code, cc_court.area_code, urn_force.area_code, police.police_area_code) as area_code,
        case
            when mc_court.area_code is not null or cc_court.area_code is not null then 'court_centre'
            when urn_force.area_code is not null then 'urn_force_number'
            when police.police_area_code is not null then 'police_record'
        end as area_source,
        -- dates, in journey order
        police.offence_date,
        police.recorded_date,
        police.referral_date,
        police.charging_decision_date,
        police.charge_date,
        coalesce(defendant_cases.first_hearing_date, defendant_cases.cc_receipt_date) as first_hearing_date,
        case
            when defendant_cases.first_hearing_date is not null then defendant_cases.first_hearing_source
            when defendant_cases.cc_receipt_date is not null then 'hmcts_cc_receipt'
        end as first_hearing_source,
        coalesce(trials.trial_listings, 0) as trial_listings,
        coalesce(trials.ineffective_trial_listings, 0) as ineffective_trial_listings,
        coalesce(trials.cracked_trial_listings, 0) as cracked_trial_listings,
        trials.first_trial_listing_date,
        trials.effective_trial_date,
        trials.effective_trial_court_type,
        defendant_cases.cc_receipt_date as sent_to_cc_date,
        coalesce(
            cps_final.finalisation_date,
            case when defendant_cases.cc_case_number is not null then defendant_cases.cc_disposal_date end,
            case when coalesce(defendant_cases.mc_disposal_type, '') <> 'sent_to_crown_court'
                then defendant_cases.mc_disposal_date end
        ) as finalisation_date,
        coalesce(
            cps_final.court_type,
            case
                when defendant_cases.cc_disposal_date is not null then 'CC'
                when defendant_cases.mc_disposal_date is not null
                    and coalesce(defendant_cases.mc_disposal_type, '') <> 'sent_to_crown_court' then 'MC'
            end
        ) as finalisation_court_type,
        case
            when cps_final.finalisation_date is not null then 'cps_finalisations'
            when defendant_cases.cc_disposal_date is not null
                or (defendant_cases.mc_disposal_date is not null
                    and coalesce(defendant_cases.mc_disposal_type, '') <> 'sent_to_crown_court') then 'hmcts'
        end as finalisation_source,
        -- outcome and courts
        cps_final.outcome as cps_outcome,
        cps_final.is_conviction,
        cps_final.unsuccessful_reason,
        coalesce(defendant_cases.cc_disposal_type, defendant_cases.mc_disposal_type) as hmcts_disposal_type,
        defendant_cases.mc_court_code,
        defendant_cases.mc_court_name,
        defendant_cases.cc_court_code,
        defendant_cases.cc_court_name,
        -- flags: the CPS's (defendant level) when finalised, else the police crimes' (case level)
        coalesce(cps_final.is_domestic_abuse, police.is_domestic_abuse) as is_domestic_abuse,
        coalesce(cps_final.is_hate_crime, police.is_hate_crime) as is_hate_crime,
        coalesce(cps_final.is_rasso, police.is_rasso) as is_rasso,
        case when police.police_suspect_count = 1 then police.any_suspect_youth end as is_youth,
        police.police_crime_count,
        police.police_suspect_count,
        -- how sure each joined part is
        defendant_cases.cc_link_method,
        defendant_cases.cc_link_probability,
        cps.cps_link_method,
        cps.cps_link_probability,
        police.police_link_method,
        police.police_linked_via
    from defendant_cases
    left join defendant_case_cps as cps
        on defendant_cases.defendant_case_key = cps.defendant_case_key
    left join cps_finalisations as cps_final
        on cps.cps_defendant_key = cps_final.defendant_key
    left join police_by_case as police
        on defendant_cases.defendant_case_key = police.defendant_case_key
    left join trial_listings as trials
        on defendant_cases.defendant_case_key = trials.defendant_case_key
    left join court_centres as mc_court
        on defendant_cases.mc_court_code = mc_court.court_code
    left join court_centres as cc_court
        on defendant_cases.cc_court_code = cc_court.court_code
    left join force_areas as urn_force
        on substr(coalesce(defendant_cases.mc_urn_key, defendant_cases.cc_urn_key), 1, 2) = urn_force.force_number

)

select * from journey
