{#- The published contract: one row per scorecard, measure, area, period type and period. Extended by later measures,
    never broken: BI tools query these columns by name. -#}
with definitions as (

    select * from {{ ref('stg_definitions__measures') }}

),

police_caseload as (

    select * from {{ ref('int_police_live_caseload_by_area_month') }}

),

rui_live as (

    select
        'rui_live' as measure_id,
        area_code,
        area_name,
        'month' as period_type,
        period_start,
        period_end,
        cast(rui_live as double) as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        as_at
    from police_caseload

),

computed_values as (

    select * from rui_live

),

published_values as (

    select
        definitions.scorecard_id,
        computed_values.measure_id,
        computed_values.area_code,
        computed_values.area_name,
        computed_values.period_type,
        computed_values.period_start,
        computed_values.period_end,
        computed_values.value,
        computed_values.numerator,
        computed_values.denominator,
        definitions.unit,
        definitions.counting_basis,
        'ok' as status,
        computed_values.as_at
    from computed_values
    inner join definitions
        on computed_values.measure_id = definitions.measure_id

)

select * from published_values
