{#- One row per crime (file) first referred by the police to the CPS for a charging decision, dated by the first
    referral (police pre-charge extract, Referral to CPS events; a crime's suspects share its referral), with the
    crime's recorded date from the police crimes extract or, for a crime recorded before the data whose outcome is
    later, the live caseload. -#}
with precharge as (

    select * from {{ ref('stg_police__precharge') }}

),

referrals as (

    select
        force_name,
        crime_reference,
        min(event_date) as referral_date,
        count(distinct suspect_key) as suspects,
        bool_or(is_domestic_abuse) as is_domestic_abuse,
        bool_or(is_rasso) as is_rasso,
        min(offence_code) as offence_code
    from precharge
    where event_type = 'referred_to_cps'
    group by force_name, crime_reference

),

recorded_dates as (

    select crime_reference, min(recorded_date) as recorded_date
    from (
        select crime_reference, recorded_date from {{ ref('stg_police__crimes') }}
        union all
        select crime_reference, recorded_date from {{ ref('stg_police__live_caseload') }}
    )
    group by crime_reference

)

select
    {{ area_code_for_force('referrals.force_name', "split_part(referrals.crime_reference, '/', 1)") }} as area_code,
    referrals.crime_reference,
    referrals.referral_date,
    recorded_dates.recorded_date,
    referrals.referral_date - recorded_dates.recorded_date as report_to_referral_days,
    referrals.suspects,
    referrals.offence_code,
    coalesce(referrals.is_domestic_abuse, false) as is_domestic_abuse,
    coalesce(referrals.is_rasso, false) as is_rasso
from referrals
left join recorded_dates
    on referrals.crime_reference = recorded_dates.crime_reference
