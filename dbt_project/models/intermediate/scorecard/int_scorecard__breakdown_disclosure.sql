{#- Which breakdown categories the published copy must withhold, and why: the breakdown rows of
    int_scorecard__disclosure_decisions (decided together with the figures, since a breakdown's categories add up to
    its figure). -#}
with decisions as (

    select * from {{ ref('int_scorecard__disclosure_decisions') }}

)

select
    scorecard_id,
    measure_id,
    area_code,
    period_type,
    period_start,
    breakdown,
    category,
    is_suppressed,
    suppression
from decisions
where row_kind = 'breakdown'
