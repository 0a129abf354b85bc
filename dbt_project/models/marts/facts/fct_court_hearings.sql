{#- One row per court hearing (HMCTS hearings extract, magistrates' courts and the Crown Court), dated by the hearing,
    in the police force area its court serves, with what the court measures need of the defendant-case around it:
      - trial effectiveness of trial listings (effective, cracked, ineffective);
      - the days since the defendant-case's first magistrates' court hearing (for a Crown Court case, its receipt:
        a case is sent at its first MC hearing) and, on the first MC hearing, since its first charge where a police
        charge record shares the case's URN (police pre-charge charging decisions, Charged - awaiting court rows),
        with the domestic abuse flag of that record's crimes;
      - whether the hearing is the first hearing in the court that finalises the case (MC first hearing of a case
        kept in the MC, CC plea and trial preparation hearing) and the defendant pleaded guilty there: the next
        hearing in that court is the sentence hearing, or the court disposed of the case that day with a guilty plea.
    Uses no probabilistic link (the fact models are built before the linkage). -#}
with hearings as (

    select * from {{ ref('stg_hmcts__hearings') }}

),

court_centres as (

    select court_type, court_code, area_code from {{ ref('ref_court_centres') }}

),

mc_cases as (

    select
        case_number,
        min(first_listing_date) as first_listing_date,
        max(disposal_date) as disposal_date,
        max(disposal_type) as disposal_type
    from {{ ref('stg_hmcts__mc_cases') }}
    group by case_number

),

mc_outstanding as (

    select case_number, min(receipt_date) as receipt_date
    from {{ ref('stg_hmcts__outstanding') }}
    where court_type = 'MC'
    group by case_number

),

-- Crown Court case numbers repeat between Crown Courts: a CC case is its court and number
cc_cases as (

    select
        court_code,
        case_number,
        min(receipt_date) as receipt_date,
        max(disposal_date) as disposal_date,
        max(disposal_type) as disposal_type
    from (
        select court_code, case_number, receipt_date, disposal_date, disposal_type from {{ ref('stg_hmcts__cc_cases') }}
        union all
        select court_code, case_number, receipt_date, null, null
        from {{ ref('stg_hmcts__outstanding') }}
        where court_type = 'CC'
    )
    group by court_code, case_number

),

mc_first_hearings as (

    select case_number, min(hearing_date) as hearing_date
    from hearings
    where court_type = 'MC' and hearing_number = 1
    group by case_number

),

police_crime_flags as (

    select crime_reference, bool_or(is_domestic_abuse) as is_domestic_abuse
    from (
        select crime_reference, is_domestic_abuse from {{ ref('stg_police__crimes') }}
        union all
        select crime_reference, is_domestic_abuse from {{ ref('stg_police__live_caseload') }}
    )
    group by crime_reference

),

-- police charged crime-suspects sharing the MC case's URN (deterministic links only), and their crimes' DA flag
charges as (

    select
        urn_matches.right_record_key as case_number,
        min(police_records.charge_date) as charge_date,
        bool_or(police_crime_flags.is_domestic_abuse) as is_domestic_abuse
    from {{ ref('int_linkage__urn_matches') }} as urn_matches
    inner join {{ ref('int_linkage__records') }} as police_records
        on urn_matches.left_record_key = police_records.record_key
        and police_records.source = 'police_charges'
    left join police_crime_flags
        on split_part(police_records.record_key, '|', 1) = police_crime_flags.crime_reference
    where urn_matches.pair_id = 'police-hmcts_mc'
    group by urn_matches.right_record_key

),

hearings_in_case as (

    select
        hearings.*,
        lead(hearings.hearing_type) over (
            partition by hearings.court_type, hearings.court_code, hearings.case_number order by hearings.hearing_number
        ) as next_hearing_type,
        case hearings.court_type
            when 'MC' then coalesce(mc_cases.first_listing_date, mc_outstanding.receipt_date, mc_first_hearings.hearing_date)
            else cc_cases.receipt_date
        end as first_hearing_date,
        case hearings.court_type when 'MC' then mc_cases.disposal_date else cc_cases.disposal_date end as disposal_date,
        case hearings.court_type when 'MC' then mc_cases.disposal_type else cc_cases.disposal_type end as disposal_type,
        case when hearings.court_type = 'MC' then charges.charge_date end as charge_date,
        case when hearings.court_type = 'MC' then charges.is_domestic_abuse end as is_domestic_abuse_police
    from hearings
    left join mc_cases
        on hearings.court_type = 'MC' and hearings.case_number = mc_cases.case_number
    left join mc_outstanding
        on hearings.court_type = 'MC' and hearings.case_number = mc_outstanding.case_number
    left join mc_first_hearings
        on hearings.court_type = 'MC' and hearings.case_number = mc_first_hearings.case_number
    left join cc_cases
        on hearings.court_type = 'CC'
        and hearings.court_code = cc_cases.court_code
        and hearings.case_number = cc_cases.case_number
    left join charges
        on hearings.court_type = 'MC' and hearings.case_number = charges.case_number

),

facts as (

    select
        court_centres.area_code,
        hearings_in_case.hearing_date,
        hearings_in_case.court_type,
        hearings_in_case.court_code,
        hearings_in_case.case_number,
        hearings_in_case.hearing_type,
        hearings_in_case.hearing_number,
        coalesce(hearings_in_case.is_video_enabled, false) as is_video_enabled,
        hearings_in_case.trial_effectiveness,
        hearings_in_case.trial_effectiveness is not null as is_trial_listing,
        hearings_in_case.trial_reason,
        coalesce(
            hearings_in_case.trial_effectiveness in ('cracked', 'ineffective')
            and regexp_matches(hearings_in_case.trial_reason, '^(Cracked|Ineffective) reason: Prosecution'),
            false
        ) as is_prosecution_reason,
        hearings_in_case.court_type = 'MC' and hearings_in_case.hearing_number = 1 as is_first_mc_hearing,
        (hearings_in_case.court_type = 'MC' and hearings_in_case.hearing_number = 1)
            or hearings_in_case.hearing_type = 'ptph' as is_first_hearing_in_court,
        coalesce(
            ((hearings_in_case.court_type = 'MC' and hearings_in_case.hearing_number = 1)
                or hearings_in_case.hearing_type = 'ptph')
            and (
                hearings_in_case.next_hearing_type = 'sentence'
                or (hearings_in_case.disposal_type = 'guilty_plea'
                    and hearings_in_case.disposal_date = hearings_in_case.hearing_date)
            ),
            false
        ) as is_guilty_plea_at_first_hearing,
        hearings_in_case.first_hearing_date,
        hearings_in_case.hearing_date - hearings_in_case.first_hearing_date as days_since_first_hearing,
        hearings_in_case.charge_date,
        case when hearings_in_case.court_type = 'MC' and hearings_in_case.hearing_number = 1
            then hearings_in_case.hearing_date - hearings_in_case.charge_date end as charge_to_first_hearing_days,
        hearings_in_case.is_domestic_abuse_police as is_domestic_abuse
    from hearings_in_case
    left join court_centres
        on hearings_in_case.court_type = court_centres.court_type
        and hearings_in_case.court_code = court_centres.court_code

)

select * from facts
