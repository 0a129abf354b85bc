{#- Candidate records of each pair with no URN match on the other side, and why (before probabilistic linkage, which
    reads the defendant-level ones). Reasons, first that applies:
      no_urn                   the record carries no URN
      malformed_urn            no URN of the record fits the pattern (force number, 2 letters, 5 digits, 2-digit year)
      no_counterpart_yet       the event that creates the counterpart has not happened (no link date), or the link date
                               is within the window (var linkage_counterpart_window_days) of the counterpart's last
                               month loaded
      counterpart_before_data  the counterpart would predate the first month loaded of its extract (its date is
                               before it; or, when the counterpart comes before this record, within the window of it)
      no_counterpart_ever      old enough that the counterpart should have arrived -#}
with candidates as (

    select * from {{ ref('int_linkage__pair_candidates') }}

),

matched as (

    {{ linked_records(ref('int_linkage__urn_matches')) }}

),

unmatched as (

    select candidates.*
    from candidates
    anti join matched
        using (pair_id, side, source, record_key)

),

unmatched_with_reason as (

    select
        pair_id,
        side,
        agency,
        source,
        record_key,
        is_person_level,
        urn_key,
        dob_key,
        area_code,
        offence,
        court_type,
        link_date,
        first_reporting_month,
        case
            when not has_urn then 'no_urn'
            when not has_well_formed_urn then 'malformed_urn'
            when link_date is null then 'no_counterpart_yet'
            when counterpart_direction in ('after', 'same')
                and link_date > counterpart_data_end - counterpart_window_days then 'no_counterpart_yet'
            when link_date < counterpart_data_start
                + case when counterpart_direction = 'before' then counterpart_window_days else 0 end
                then 'counterpart_before_data'
            else 'no_counterpart_ever'
        end as unmatched_reason
    from unmatched

)

select * from unmatched_with_reason
