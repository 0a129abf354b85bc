{#- Which scorecard figures the published copy must withhold, and why: the figure rows of
    int_scorecard__disclosure_decisions (primary: a small count the figure rests on; secondary: withheld so that no
    small count can be worked out from the published figures). The build database keeps every figure; only the
    published copy is withheld. -#}
with decisions as (

    select * from {{ ref('int_scorecard__disclosure_decisions') }}

)

select
    scorecard_id,
    measure_id,
    area_code,
    period_type,
    period_start,
    is_suppressed,
    suppression,
    is_national_suppressed
from decisions
where row_kind = 'figure'
