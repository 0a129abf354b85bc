{#- One row per referral of a victim to a support service (PCC victim referrals extract), dated by the referral, in
    the police force area of the crime. A victim referred to two services has two rows; the crime reference tells
    victims apart (one victim per crime). -#}
with referrals as (

    select * from {{ ref('stg_pcc__victim_referrals') }}

)

select
    area_code,
    referral_date,
    referral_id,
    crime_reference,
    service,
    referral_source,
    is_domestic_abuse,
    is_sexual_violence,
    victim_sex,
    victim_ethnicity_code,
    referral_outcome,
    is_support_accepted
from referrals
