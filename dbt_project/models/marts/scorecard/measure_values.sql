{#- Every scorecard's figures, unsuppressed: the build database's copy, for analysts with access. The published copy
    is measure_values_disclosed (same columns, small figures withheld). One row per scorecard, measure, area (and
    the board when it covers several areas), period type and period. -#}
{{ scorecard_comparisons(ref('int_scorecard__scorecard_values')) }}
