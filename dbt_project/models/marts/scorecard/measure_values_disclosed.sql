{#- The figures BI users see (published as scorecard.measure_values): measure_values with disclosure control applied
    (int_scorecard__disclosure). A withheld figure keeps its row, with status suppressed, the value, numerator and
    denominator empty and the reason; comparisons are computed over the shown figures only. -#}
{%- set withheld_figures -%}
(
    select
        scorecard_values.* exclude (value, numerator, denominator, status, status_reason, national_value),
        case when disclosure.is_suppressed then null else scorecard_values.value end as value,
        case when disclosure.is_suppressed then null else scorecard_values.numerator end as numerator,
        case when disclosure.is_suppressed then null else scorecard_values.denominator end as denominator,
        case when disclosure.is_suppressed then 'suppressed' else scorecard_values.status end as status,
        {{ withheld_reason('disclosure.suppression', 'scorecard_values.status_reason') }} as status_reason,
        case when disclosure.is_national_suppressed then null else scorecard_values.national_value end as national_value
    from {{ ref('int_scorecard__scorecard_values') }} as scorecard_values
    inner join {{ ref('int_scorecard__disclosure') }} as disclosure
        on scorecard_values.scorecard_id = disclosure.scorecard_id
        and scorecard_values.measure_id = disclosure.measure_id
        and scorecard_values.area_code = disclosure.area_code
        and scorecard_values.period_type = disclosure.period_type
        and scorecard_values.period_start = disclosure.period_start
)
{%- endset %}
{{ scorecard_comparisons(withheld_figures) }}
