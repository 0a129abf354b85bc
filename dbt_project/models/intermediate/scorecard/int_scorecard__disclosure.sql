{#- Disclosure control: which scorecard figures the published copy must withhold, and why.

    Primary: a count from 1 to var('disclosure_count_threshold') (default 4), or a rate, mean or ratio whose
    denominator is under var('disclosure_min_denominator'), of a measure whose disclosure rule is standard.
    Secondary, so a withheld figure cannot be worked out from published ones (an empty figure has nothing to
    withhold and is never chosen):
    - across a board: when exactly one of a board's areas is withheld for a measure and period, the board total
      minus the other areas would give it, so the smallest other area is withheld too;
    - across time: a quarter or rolling twelve months of an in-period measure is withheld when any of its months
      is (a sum of months minus the published months would give the withheld one);
    the same board rule then runs again over the quarters and rolling years.
    The build database keeps every figure; only the published copy is withheld. -#}
with scorecard_values as (

    select * from {{ ref('int_scorecard__scorecard_values') }}

),

definitions as (

    select scorecard_id, measure_id, unit, counting_basis, disclosure
    from {{ ref('stg_definitions__measures') }}

),

primary_suppression as (

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
        definitions.disclosure = 'standard' and scorecard_values.value is not null and (
            (definitions.unit = 'count' and scorecard_values.value between 1 and {{ var('disclosure_count_threshold') }})
            or (definitions.unit <> 'count' and scorecard_values.denominator < {{ var('disclosure_min_denominator') }})
        ) as is_primary,
        definitions.disclosure = 'standard' and scorecard_values.national_value is not null and (
            (definitions.unit = 'count'
                and scorecard_values.national_value between 1 and {{ var('disclosure_count_threshold') }})
            or (definitions.unit <> 'count'
                and scorecard_values.national_denominator < {{ var('disclosure_min_denominator') }})
        ) as is_national_suppressed
    from scorecard_values
    inner join definitions
        on scorecard_values.scorecard_id = definitions.scorecard_id
        and scorecard_values.measure_id = definitions.measure_id

),

-- boards: the board row's areas for a measure and period, the suppressed ones first counted
{% set board_complement %}
    select
        scorecard_id, measure_id, period_type, period_start, area_code,
        count(*) filter (where is_suppressed) over by_cell = 1
            and not is_suppressed
            and value is not null
            and row_number() over (partition by scorecard_id, measure_id, period_type, period_start, is_suppressed
                order by value is null, value = 0, value, area_code) = 1 as is_complement
    from {relation}
    where area_type = 'area'
        and scorecard_id in (select scorecard_id from scorecard_values where area_type = 'board')
        and {periods}
    window by_cell as (partition by scorecard_id, measure_id, period_type, period_start)
{% endset %}

primary_flags as (

    select *, is_primary as is_suppressed from primary_suppression

),

board_complements as (

    {{ board_complement | replace('{relation}', 'primary_flags') | replace('{periods}', 'true') }}

),

after_board as (

    select
        primary_flags.* exclude (is_suppressed),
        primary_flags.is_suppressed or coalesce(board_complements.is_complement, false) as is_suppressed,
        coalesce(board_complements.is_complement, false) as is_board_complement
    from primary_flags
    left join board_complements
        on primary_flags.scorecard_id = board_complements.scorecard_id
        and primary_flags.measure_id = board_complements.measure_id
        and primary_flags.period_type = board_complements.period_type
        and primary_flags.period_start = board_complements.period_start
        and primary_flags.area_code = board_complements.area_code

),

suppressed_months as (

    select scorecard_id, measure_id, area_code, period_start
    from after_board
    where period_type = 'month' and is_suppressed and counting_basis = 'in_period'

),

after_time as (

    select
        after_board.* exclude (is_suppressed),
        after_board.is_suppressed or (
            after_board.period_type <> 'month' and after_board.counting_basis = 'in_period' and exists (
                select 1
                from suppressed_months
                where suppressed_months.scorecard_id = after_board.scorecard_id
                    and suppressed_months.measure_id = after_board.measure_id
                    and suppressed_months.area_code = after_board.area_code
                    and suppressed_months.period_start between after_board.period_start and after_board.period_end
            )
        ) as is_suppressed
    from after_board

),

derived_board_complements as (

    {{ board_complement | replace('{relation}', 'after_time') | replace('{periods}', "period_type <> 'month'") }}

),

disclosure as (

    select
        after_time.scorecard_id,
        after_time.measure_id,
        after_time.area_code,
        after_time.period_type,
        after_time.period_start,
        after_time.value is not null
            and (after_time.is_suppressed or coalesce(derived_board_complements.is_complement, false)) as is_suppressed,
        case
            when after_time.value is null then null
            when after_time.is_primary then 'primary'
            when after_time.is_suppressed or derived_board_complements.is_complement then 'secondary'
        end as suppression,
        after_time.is_national_suppressed
    from after_time
    left join derived_board_complements
        on after_time.scorecard_id = derived_board_complements.scorecard_id
        and after_time.measure_id = derived_board_complements.measure_id
        and after_time.period_type = derived_board_complements.period_type
        and after_time.period_start = derived_board_complements.period_start
        and after_time.area_code = derived_board_complements.area_code

)

select * from disclosure
