{#- Timeliness per police force area and month, on the simulator truth's definitions and period basis (the month of
    the event that ends the interval). Each figure keeps its numerator (sum of days) and denominator (count) beside
    the mean. The court figures come from int_case_journey; the pre-charge figures are per crime (file), from the
    police and CPS pre-charge extracts (a crime's suspects share its referral, action plans and decision). -#}
with journey as (

    select * from {{ ref('int_case_journey') }}

),

force_aliases as (

    select force_name, area_code from {{ ref('ref_force_name_aliases') }} where covers_several_areas = 'N'

),

force_areas as (

    select area_code, force_number from {{ ref('ref_police_force_areas') }}

),

-- court: first hearings (MC receipts) with the days since the defendant-case's first charge, when it is known
first_hearings as (

    select
        area_code,
        cast(date_trunc('month', first_hearing_date) as date) as month_start,
        count(*) as first_hearings,
        count(charge_date) as charge_to_first_hearing_count,
        sum(first_hearing_date - charge_date) as charge_to_first_hearing_days_sum,
        count(*) filter (where is_domestic_abuse) as da_first_hearings,
        count(charge_date) filter (where is_domestic_abuse) as da_charge_to_first_hearing_count,
        sum(first_hearing_date - charge_date) filter (where is_domestic_abuse) as da_charge_to_first_hearing_days_sum
    from journey
    where mc_case_number is not null and first_hearing_source <> 'hmcts_cc_receipt'
    group by all

),

effective_trials as (

    select
        area_code,
        cast(date_trunc('month', effective_trial_date) as date) as month_start,
        count(*) as effective_trials,
        count(first_hearing_date) as first_hearing_to_trial_count,
        sum(effective_trial_date - first_hearing_date) as first_hearing_to_trial_days_sum
    from journey
    where effective_trial_date is not null
    group by all

),

-- pre-charge, police extract: one referral per crime; action plans per crime and plan number
police_precharge as (

    select
        precharge.*,
        coalesce(force_aliases.area_code, force_areas.area_code) as area_code
    from {{ ref('stg_police__precharge') }} as precharge
    left join force_aliases
        on precharge.force_name = force_aliases.force_name
    left join force_areas
        on split_part(precharge.crime_reference, '/', 1) = force_areas.force_number

),

referrals as (

    select area_code, crime_reference, min(event_date) as referral_date
    from police_precharge
    where event_type = 'referred_to_cps'
    group by all

),

recorded_dates as (

    select crime_reference, min(recorded_date) as recorded_date
    from (
        select crime_reference, recorded_date from {{ ref('stg_police__crimes') }}
        union all
        select crime_reference, recorded_date from {{ ref('stg_police__live_caseload') }}
    )
    group by crime_reference

),

referrals_by_month as (

    select
        referrals.area_code,
        cast(date_trunc('month', referrals.referral_date) as date) as month_start,
        count(*) as referrals,
        count(recorded_dates.recorded_date) as report_to_referral_count,
        sum(referrals.referral_date - recorded_dates.recorded_date) as report_to_referral_days_sum
    from referrals
    left join recorded_dates
        on referrals.crime_reference = recorded_dates.crime_reference
    group by all

),

action_plans as (

    select
        area_code,
        crime_reference,
        action_plan_number,
        min(event_date) filter (where event_type = 'action_plan_received') as issued_date,
        min(event_date) filter (where event_type = 'action_plan_answered') as answered_date
    from police_precharge
    where event_type in ('action_plan_received', 'action_plan_answered')
    group by all

),

action_plan_answers_by_month as (

    select
        area_code,
        cast(date_trunc('month', answered_date) as date) as month_start,
        count(*) as action_plans_answered,
        count(issued_date) as precharge_police_count,
        sum(answered_date - issued_date) as precharge_police_days_sum
    from action_plans
    where answered_date is not null
    group by all

),

-- pre-charge, CPS extract: each response (action plan or decision) once per crime, with its submission date
cps_responses as (

    select distinct
        coalesce(force_aliases.area_code, force_areas.area_code) as area_code,
        decisions.crime_reference_key,
        decisions.date_first_received,
        decisions.date_submitted,
        decisions.date_of_response,
        decisions.response_type = 'action_plan' as is_action_plan
    from {{ ref('stg_cps__precharge_decisions') }} as decisions
    left join force_aliases
        on decisions.force_name = force_aliases.force_name
    left join force_areas
        on substr(decisions.crime_reference_key, 1, 2) = force_areas.force_number

),

cps_responses_by_month as (

    select
        area_code,
        cast(date_trunc('month', date_of_response) as date) as month_start,
        count(*) as precharge_cps_count,
        sum(date_of_response - date_submitted) as precharge_cps_days_sum,
        count(*) filter (where not is_action_plan) as referral_to_charge_count,
        sum(date_of_response - date_first_received) filter (where not is_action_plan) as referral_to_charge_days_sum
    from cps_responses
    group by all

),

area_months as (

    select area_code, month_start from first_hearings
    union
    select area_code, month_start from effective_trials
    union
    select area_code, month_start from referrals_by_month
    union
    select area_code, month_start from action_plan_answers_by_month
    union
    select area_code, month_start from cps_responses_by_month

),

timeliness as (

    select
        area_months.area_code,
        area_months.month_start,
        coalesce(first_hearings.first_hearings, 0) as first_hearings,
        coalesce(first_hearings.charge_to_first_hearing_count, 0) as charge_to_first_hearing_count,
        first_hearings.charge_to_first_hearing_days_sum,
        first_hearings.charge_to_first_hearing_days_sum
            / nullif(first_hearings.charge_to_first_hearing_count, 0) as charge_to_first_hearing_days,
        coalesce(first_hearings.da_first_hearings, 0) as da_first_hearings,
        coalesce(first_hearings.da_charge_to_first_hearing_count, 0) as da_charge_to_first_hearing_count,
        first_hearings.da_charge_to_first_hearing_days_sum,
        first_hearings.da_charge_to_first_hearing_days_sum
            / nullif(first_hearings.da_charge_to_first_hearing_count, 0) as da_charge_to_first_hearing_days,
        coalesce(effective_trials.effective_trials, 0) as effective_trials,
        coalesce(effective_trials.first_hearing_to_trial_count, 0) as first_hearing_to_trial_count,
        effective_trials.first_hearing_to_trial_days_sum,
        effective_trials.first_hearing_to_trial_days_sum
            / nullif(effective_trials.first_hearing_to_trial_count, 0) as first_hearing_to_trial_days,
        coalesce(referrals_by_month.referrals, 0) as referrals,
        coalesce(referrals_by_month.report_to_referral_count, 0) as report_to_referral_count,
        referrals_by_month.report_to_referral_days_sum,
        referrals_by_month.report_to_referral_days_sum
            / nullif(referrals_by_month.report_to_referral_count, 0) as report_to_referral_days,
        coalesce(cps_responses_by_month.referral_to_charge_count, 0) as referral_to_charge_count,
        cps_responses_by_month.referral_to_charge_days_sum,
        cps_responses_by_month.referral_to_charge_days_sum
            / nullif(cps_responses_by_month.referral_to_charge_count, 0) as referral_to_charge_days,
        coalesce(cps_responses_by_month.precharge_cps_count, 0) as precharge_timeliness_cps_count,
        cps_responses_by_month.precharge_cps_days_sum as precharge_timeliness_cps_days_sum,
        cps_responses_by_month.precharge_cps_days_sum
            / nullif(cps_responses_by_month.precharge_cps_count, 0) as precharge_timeliness_cps_days,
        coalesce(action_plan_answers_by_month.action_plans_answered, 0) as action_plans_answered,
        coalesce(action_plan_answers_by_month.precharge_police_count, 0) as precharge_timeliness_police_count,
        action_plan_answers_by_month.precharge_police_days_sum as precharge_timeliness_police_days_sum,
        action_plan_answers_by_month.precharge_police_days_sum
            / nullif(action_plan_answers_by_month.precharge_police_count, 0) as precharge_timeliness_police_days
    from area_months
    left join first_hearings
        on area_months.area_code = first_hearings.area_code and area_months.month_start = first_hearings.month_start
    left join effective_trials
        on area_months.area_code = effective_trials.area_code
        and area_months.month_start = effective_trials.month_start
    left join referrals_by_month
        on area_months.area_code = referrals_by_month.area_code
        and area_months.month_start = referrals_by_month.month_start
    left join action_plan_answers_by_month
        on area_months.area_code = action_plan_answers_by_month.area_code
        and area_months.month_start = action_plan_answers_by_month.month_start
    left join cps_responses_by_month
        on area_months.area_code = cps_responses_by_month.area_code
        and area_months.month_start = cps_responses_by_month.month_start
    where area_months.area_code is not null and area_months.month_start is not null

)

select * from timeliness
