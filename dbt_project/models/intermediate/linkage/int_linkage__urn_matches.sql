{#- Deterministic links: records of the two sides of a pair that share a normalised URN (any of the URNs a record was
    written with); in defendant-level pairs the date-of-birth key must agree too (co-defendants share a URN). The
    dates must be plausible when both are known, because a mistyped URN can land on another real URN (serials are
    sequential) and one person can have two defendant-cases on one URN:
      same-day pairs: link dates at most var linkage_date_tolerance_days (default 7) apart;
      police pairs: the counterpart (first listing, finalisation) on or after the charge, and for the MC first
      listing within the pair's window (var linkage_counterpart_window_days) x 4. -#}
with candidates as (

    select * from {{ ref('int_linkage__pair_candidates') }}

),

candidate_urns as (

    select
        pair_id, side, source, record_key, is_person_level, dob_key, link_date, counterpart_direction,
        counterpart_window_days,
        unnest(urn_keys) as urn_key
    from candidates

),

left_urns as (

    select * from candidate_urns where side = 'left'

),

right_urns as (

    select * from candidate_urns where side = 'right'

),

urn_matches as (

    select
        left_urns.pair_id,
        left_urns.source as left_source,
        left_urns.record_key as left_record_key,
        right_urns.source as right_source,
        right_urns.record_key as right_record_key,
        min(left_urns.urn_key) as urn_key
    from left_urns
    inner join right_urns
        on left_urns.pair_id = right_urns.pair_id
        and left_urns.urn_key = right_urns.urn_key
        and (
            not left_urns.is_person_level
            or left_urns.dob_key = right_urns.dob_key
            or left_urns.dob_key is null
            or right_urns.dob_key is null
        )
        and (
            left_urns.link_date is null
            or right_urns.link_date is null
            or (
                left_urns.counterpart_direction = 'same'
                and abs(left_urns.link_date - right_urns.link_date) <= {{ var('linkage_date_tolerance_days', 7) | int }}
            )
            or (
                left_urns.counterpart_direction = 'after'
                and right_urns.link_date >= left_urns.link_date
                and (
                    left_urns.pair_id <> 'police-hmcts_mc'
                    or right_urns.link_date <= left_urns.link_date + 4 * left_urns.counterpart_window_days
                )
            )
        )
    group by all

)

select * from urn_matches
