{#- One row per CPS finalisation and per magistrates' court case the case linkage tried to tie to a police charge
    (pairs police-cps and police-hmcts_mc, their CPS and HMCTS side), placed in the month the record first arrived,
    with whether its URN found the police record and, if not, why. The scorecard's "Data behind these figures" shows
    the share linked: a prosecution the agencies cannot follow from charge to court is a figure no board can
    reconcile.

    Police pairs link by URN only (police records carry no date of birth for the probabilistic step), so this fact is
    complete before the probabilistic linkage runs, and the scorecard engine, which runs before it, can read it. A
    court record without a well-formed URN has no area (int_linkage__records) and is not counted here. -#}
with candidates as (

    select * from {{ ref('int_linkage__pair_candidates') }}
    where pair_id in ('police-cps', 'police-hmcts_mc') and agency <> 'police' and area_code is not null

),

urn_linked as (

    select distinct pair_id, source, record_key
    from ({{ linked_records(ref('int_linkage__urn_matches')) }})

),

unmatched as (

    select pair_id, source, record_key, unmatched_reason from {{ ref('int_linkage__unmatched') }}

)

select
    candidates.area_code,
    candidates.pair_id,
    candidates.agency,
    candidates.source,
    cast(strptime(candidates.first_reporting_month, '%Y-%m') as date) as month_start,
    urn_linked.record_key is not null as is_linked_by_urn,
    unmatched.unmatched_reason,
    -- the police record could be in the data: not a case charged before the police data starts, nor one whose
    -- counterpart may still come
    coalesce(unmatched.unmatched_reason not in ('counterpart_before_data', 'no_counterpart_yet'), true)
        as is_counterpart_expected
from candidates
left join urn_linked
    on candidates.pair_id = urn_linked.pair_id
    and candidates.source = urn_linked.source
    and candidates.record_key = urn_linked.record_key
left join unmatched
    on candidates.pair_id = unmatched.pair_id
    and candidates.source = unmatched.source
    and candidates.record_key = unmatched.record_key
