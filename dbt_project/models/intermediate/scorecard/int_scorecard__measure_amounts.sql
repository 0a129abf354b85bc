{#- Every measure part (value, numerator, denominator) per reporting unit and period, computed by the scorecard
    engine (macro measure_amounts) from the definitions in scorecard_definitions/. Periods with no rows are absent
    here; int_scorecard__measure_values fills them in. -#}
{%- for model in var('measure_fact_models') %}
-- depends_on: {{ ref(model) }}
{%- endfor %}
{%- set parts_with_periods -%}
(
    select parts.*, measures.period_types
    from {{ ref('stg_definitions__measure_parts') }} as parts
    inner join (select distinct measure_id, period_types from {{ ref('stg_definitions__measures') }}) as measures
        on parts.measure_id = measures.measure_id
)
{%- endset %}
with amounts as (
    {{ measure_amounts(parts_with_periods, ref('int_scorecard__reporting_units'), ref('int_scorecard__periods'), ref('int_scorecard__unit_population')) }}
)

select * from amounts
