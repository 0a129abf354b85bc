{#- Match rates of the case linkage per agency pair, side, police force area and month (the month the record first
    arrived). Area: from the URN's force number, else the force the police or CPS name; HMCTS records without a
    well-formed URN have no area yet (null) until a court -> area lookup exists. -#}

with candidates as (

    select * from {{ ref('int_linkage__pair_candidates') }}

),

links as (

    {{ linked_records(ref('int_linkage__case_links'), ['method']) }}

),

record_methods as (

    select
        pair_id,
        side,
        source,
        record_key,
        bool_or(method = 'urn') as is_urn_matched,
        bool_or(method = 'probabilistic') as is_probabilistically_matched
    from links
    group by all

),

unlinked as (

    select pair_id, side, source, record_key, unmatched_reason from {{ ref('int_linkage__unlinked') }}

),

record_outcomes as (

    select
        candidates.pair_id,
        candidates.side,
        candidates.agency,
        candidates.area_code,
        cast(strptime(candidates.first_reporting_month, '%Y-%m') as date) as period_start,
        coalesce(record_methods.is_urn_matched, false) as is_urn_matched,
        coalesce(record_methods.is_probabilistically_matched and not record_methods.is_urn_matched, false)
            as is_probabilistically_matched,
        unlinked.unmatched_reason
    from candidates
    left join record_methods
        on candidates.pair_id = record_methods.pair_id
        and candidates.side = record_methods.side
        and candidates.source = record_methods.source
        and candidates.record_key = record_methods.record_key
    left join unlinked
        on candidates.pair_id = unlinked.pair_id
        and candidates.side = unlinked.side
        and candidates.source = unlinked.source
        and candidates.record_key = unlinked.record_key

),

match_rates as (

    select
        pair_id,
        side,
        agency,
        area_code,
        period_start,
        count(*) as records,
        count(*) filter (where is_urn_matched) as matched_by_urn,
        count(*) filter (where is_probabilistically_matched) as matched_probabilistically,
        count(*) filter (where unmatched_reason = 'no_urn') as unmatched_no_urn,
        count(*) filter (where unmatched_reason = 'malformed_urn') as unmatched_malformed_urn,
        count(*) filter (where unmatched_reason = 'no_counterpart_yet') as unmatched_no_counterpart_yet,
        count(*) filter (where unmatched_reason = 'counterpart_before_data') as unmatched_counterpart_before_data,
        count(*) filter (where unmatched_reason = 'no_counterpart_ever') as unmatched_no_counterpart_ever,
        round(100.0 * count(*) filter (where is_urn_matched or is_probabilistically_matched) / count(*), 2)
            as match_rate_pct
    from record_outcomes
    group by pair_id, side, agency, area_code, period_start

)

select * from match_rates
