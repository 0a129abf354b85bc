{#- The geographies figures are computed for, each with the police force areas it covers: every area in the data or
    on a board, every board (a scorecard covering several areas is recomputed over them, never averaged), and
    England and Wales when the data covers all 43 areas. An area no fact model has a row for is not in the data
    (a board's area whose forces send no extracts yet): its figures are not available rather than zero. -#}
with force_areas as (

    select area_code, area_name from {{ ref('ref_police_force_areas') }}

),

scorecard_areas as (

    select * from {{ ref('stg_definitions__scorecard_areas') }}

),

scorecards as (

    select distinct scorecard_id, scorecard_title from {{ ref('stg_definitions__measures') }}

),

areas_in_data as (

    {% for model in var('measure_fact_models') %}
    -- a null here would make every `in (select area_code ...)` below null, not false, for an area not in the data
    select distinct area_code from {{ ref(model) }} where area_code is not null
    {% if not loop.last %}union{% endif %}
    {% endfor %}

),

areas as (

    select area_code from areas_in_data
    union
    select area_code from scorecard_areas

),

area_units as (

    select
        areas.area_code as unit_code,
        force_areas.area_name as unit_name,
        'area' as unit_type,
        areas.area_code,
        areas.area_code in (select area_code from areas_in_data) as is_area_in_data
    from areas
    inner join force_areas
        on areas.area_code = force_areas.area_code

),

board_units as (

    select
        scorecards.scorecard_id as unit_code,
        scorecards.scorecard_title as unit_name,
        'board' as unit_type,
        scorecard_areas.area_code,
        scorecard_areas.area_code in (select area_code from areas_in_data) as is_area_in_data
    from scorecard_areas
    inner join scorecards
        on scorecard_areas.scorecard_id = scorecards.scorecard_id
    where scorecard_areas.scorecard_id in (
        select board_areas.scorecard_id from scorecard_areas as board_areas
        group by board_areas.scorecard_id having count(*) > 1
    )

),

national_unit as (

    select
        'K04000001' as unit_code,
        'England and Wales' as unit_name,
        'national' as unit_type,
        area_code,
        is_area_in_data
    from area_units
    where (select count(*) from area_units as every_area_unit) = (select count(*) from force_areas)

)

select * from area_units
union all
select * from board_units
union all
select * from national_unit
