{#- One row per open court case (a case per defendant) in HMCTS's month-end outstanding snapshot, magistrates' courts
    and the Crown Court, in the police force area its court serves. -#}
with outstanding as (

    select * from {{ ref('stg_hmcts__outstanding') }}

),

court_centres as (

    select court_type, court_code, area_code from {{ ref('ref_court_centres') }}

)

select
    court_centres.area_code,
    outstanding.as_at_date as snapshot_date,
    outstanding.court_type,
    outstanding.court_code,
    outstanding.case_number,
    outstanding.receipt_date,
    outstanding.age_days
from outstanding
left join court_centres
    on outstanding.court_type = court_centres.court_type
    and outstanding.court_code = court_centres.court_code
