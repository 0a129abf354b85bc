{#- Every measure part per category of each of the measure's breakdowns (stg_definitions__measure_breakdowns), per
    reporting unit and period: the scorecard engine (macro measure_amounts) run by category. -#}
{%- for model in var('measure_fact_models') %}
-- depends_on: {{ ref(model) }}
{%- endfor %}
{%- set parts_by_breakdown -%}
(
    select parts.*, measures.period_types, breakdowns.breakdown
    from {{ ref('stg_definitions__measure_parts') }} as parts
    inner join (select distinct measure_id, period_types from {{ ref('stg_definitions__measures') }}) as measures
        on parts.measure_id = measures.measure_id
    inner join {{ ref('stg_definitions__measure_breakdowns') }} as breakdowns
        on parts.measure_id = breakdowns.measure_id
)
{%- endset %}
with amounts as (
    {{ measure_amounts(parts_by_breakdown, ref('int_scorecard__reporting_units'), ref('int_scorecard__periods'), ref('int_scorecard__unit_population'), by_category=true) }}
)

select * from amounts
