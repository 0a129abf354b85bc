{#- Disclosure control: which scorecard figures the published copy must withhold, and why.

    Primary: a small count or a figure on a small denominator (macro is_small_figure) of a measure whose
    disclosure rule is standard.
    Secondary, so a withheld figure cannot be worked out from published ones (an empty figure has nothing to
    withhold and is never chosen):
    - across a board: when exactly one of a board's areas is withheld for a measure and period, the board total
      minus the other areas would give it, so the smallest other area is withheld too;
    - across time: a quarter or rolling twelve months of an in-period measure is withheld when any of its months
      is (a sum of months minus the published months would give the withheld one);
    the same board rule then runs again over the quarters and rolling years (macros in disclosure_control.sql).
    The build database keeps every figure; only the published copy is withheld. -#}
{%- set board_group = ['scorecard_id', 'measure_id', 'period_type', 'period_start'] -%}
{%- set figure_key = board_group + ['area_code'] -%}
{%- set board_areas = "area_type = 'area' and scorecard_id in (select scorecard_id from scorecard_values where area_type = 'board')" -%}
with scorecard_values as (

    select * from {{ ref('int_scorecard__scorecard_values') }}

),

definitions as (

    select scorecard_id, measure_id, unit, counting_basis, disclosure
    from {{ ref('stg_definitions__measures') }}

),

primary_flags as (

    select
        scorecard_values.scorecard_id,
        scorecard_values.measure_id,
        scorecard_values.area_code,
        scorecard_values.area_type,
        scorecard_values.period_type,
        scorecard_values.period_start,
        scorecard_values.period_end,
        scorecard_values.value,
        definitions.counting_basis,
        definitions.disclosure = 'standard'
            and {{ is_small_figure('definitions.unit', 'scorecard_values.value', 'scorecard_values.denominator') }}
            as is_primary,
        definitions.disclosure = 'standard'
            and {{ is_small_figure('definitions.unit', 'scorecard_values.national_value',
                                   'scorecard_values.national_denominator') }} as is_national_suppressed
    from scorecard_values
    inner join definitions
        on scorecard_values.scorecard_id = definitions.scorecard_id
        and scorecard_values.measure_id = definitions.measure_id

),

first_pass as (

    select *, is_primary as is_suppressed from primary_flags

),

board_complements as (

    {{ complement_suppression('first_pass', board_group, 'area_code', board_areas) }}

),

after_board as (

    {{ with_complements('first_pass', 'board_complements', figure_key) }}

),

after_time as (

    {{ with_withheld_months('after_board', ['scorecard_id', 'measure_id', 'area_code']) }}

),

derived_board_complements as (

    {{ complement_suppression('after_time', board_group, 'area_code', board_areas ~ " and period_type <> 'month'") }}

),

after_derived_board as (

    {{ with_complements('after_time', 'derived_board_complements', figure_key) }}

),

disclosure as (

    select
        scorecard_id,
        measure_id,
        area_code,
        period_type,
        period_start,
        {{ suppression_outcome() }},
        is_national_suppressed
    from after_derived_board

)

select * from disclosure
