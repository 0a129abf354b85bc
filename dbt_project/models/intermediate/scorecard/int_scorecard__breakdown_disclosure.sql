{#- Disclosure control of the breakdowns (published copy only), by the rules of int_scorecard__disclosure (macros in
    disclosure_control.sql): a small category count or a category rate on a small denominator is withheld; when
    exactly one category of a figure is withheld, the categories add up to the published total, so the smallest
    other non-zero category is withheld too; a quarter or rolling year of an in-period measure is withheld for a
    category whose months include a withheld one, and the category rule runs again over them. -#}
{%- set figure_group = ['scorecard_id', 'measure_id', 'area_code', 'period_type', 'period_start', 'breakdown'] -%}
{%- set category_key = figure_group + ['category'] -%}
with breakdown_values as (

    select * from {{ ref('int_scorecard__breakdown_values') }}

),

definitions as (

    select scorecard_id, measure_id, counting_basis, disclosure from {{ ref('stg_definitions__measures') }}

),

primary_flags as (

    select
        breakdown_values.scorecard_id,
        breakdown_values.measure_id,
        breakdown_values.area_code,
        breakdown_values.period_type,
        breakdown_values.period_start,
        breakdown_values.period_end,
        breakdown_values.breakdown,
        breakdown_values.category,
        breakdown_values.value,
        definitions.counting_basis,
        definitions.disclosure = 'standard'
            and {{ is_small_figure('breakdown_values.unit', 'breakdown_values.value', 'breakdown_values.denominator') }}
            as is_primary
    from breakdown_values
    inner join definitions
        on breakdown_values.scorecard_id = definitions.scorecard_id
        and breakdown_values.measure_id = definitions.measure_id

),

first_pass as (

    select *, is_primary as is_suppressed from primary_flags

),

category_complements as (

    {{ complement_suppression('first_pass', figure_group, 'category') }}

),

after_categories as (

    {{ with_complements('first_pass', 'category_complements', category_key) }}

),

after_time as (

    {{ with_withheld_months('after_categories', ['scorecard_id', 'measure_id', 'area_code', 'breakdown', 'category']) }}

),

derived_complements as (

    {{ complement_suppression('after_time', figure_group, 'category', "period_type <> 'month'") }}

),

after_derived_categories as (

    {{ with_complements('after_time', 'derived_complements', category_key) }}

),

disclosure as (

    select
        scorecard_id,
        measure_id,
        area_code,
        period_type,
        period_start,
        breakdown,
        category,
        {{ suppression_outcome() }}
    from after_derived_categories

)

select * from disclosure
