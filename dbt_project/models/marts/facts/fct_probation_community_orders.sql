{#- One row per community or suspended sentence order made (probation case management extract), dated by the
    sentence, in the police force area its probation delivery unit is named after, with its requirements. -#}
with orders as (

    select * from {{ ref('stg_probation__community_orders') }}

)

select
    area_code,
    sentence_date,
    offender_key,
    order_type,
    sentencing_court,
    gender,
    length_months,
    requirement_count,
    has_mhtr,
    has_drr,
    has_atr,
    has_drr or has_atr as has_drug_or_alcohol_requirement,
    has_curfew,
    upw_hours is not null as has_unpaid_work,
    rar_days is not null as has_rar
from orders
