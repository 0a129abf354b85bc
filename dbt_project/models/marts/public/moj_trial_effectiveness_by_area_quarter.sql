{#- MoJ trials per quarter, court type and geography, by outcome (the outcome's total row, else the sum of its
    reason rows), with the effective trial rate as the MoJ computes it
    (effective / (effective + cracked + ineffective): vacated trials excluded). A rate is null when a count it needs
    is withheld or missing (any marker), never computed as if it were 0. -#}
with trials_by_outcome as (

    select
        quarter_start, court_type, geography_level, geography_name, area_code, trial_outcome,
        sum(trials) filter (where uses_row) as trials,
        count(*) filter (where uses_row and trials_marker is not null) as cells_with_marker
    from (
        -- an outcome's total row (no reason) when the file has one, else the sum of its reason rows: a file giving
        -- both (the MoJ tables, the simulator's lookalike) must not count its trials twice
        select *, reason is null or count(*) filter (where reason is null) over by_outcome = 0 as uses_row
        from {{ ref('stg_public__moj_trial_effectiveness') }}
        window by_outcome as (partition by quarter_start, court_type, geography_level, geography_name, trial_outcome)
    )
    group by all

),

pivoted as (

    select
        quarter_start, court_type, geography_level, geography_name, area_code,
        max(trials) filter (trial_outcome = 'effective') as effective,
        max(trials) filter (trial_outcome = 'cracked') as cracked,
        max(trials) filter (trial_outcome = 'ineffective') as ineffective,
        max(trials) filter (trial_outcome = 'vacated') as vacated,
        sum(cells_with_marker) filter (trial_outcome <> 'vacated') > 0 as has_withheld_counts
    from trials_by_outcome
    group by all

)

select
    *,
    case
        when not has_withheld_counts and effective + cracked + ineffective > 0
            then effective / (effective + cracked + ineffective)
    end as effective_rate
from pivoted
