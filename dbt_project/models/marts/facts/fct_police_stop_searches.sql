{#- One row per stop and search (police stop and search extract), dated by the search, with the officer-defined
    ethnicity and the residents of that ethnic group in the area (ref_area_population, the area's census profile), so
    that a search rate per 1,000 residents of a group is a sum over its searches. -#}
with searches as (

    select * from {{ ref('stg_police__stop_search') }}

),

searches_with_area as (

    select
        {{ area_code_for_force('searches.force_name') }} as area_code,
        searches.*
    from searches

),

population as (

    select * from {{ ref('ref_area_population') }}

),

with_residents as (

    select
        searches_with_area.*,
        case searches_with_area.officer_defined_ethnicity
            when 'White' then population.population_white
            when 'Black' then population.population_black
            when 'Asian' then population.population_asian
            when 'Mixed' then population.population_mixed
            when 'Other' then population.population_other
        end as residents_of_ethnic_group
    from searches_with_area
    left join population
        on searches_with_area.area_code = population.area_code

)

select
    area_code,
    search_id,
    search_date,
    search_type,
    officer_defined_ethnicity,
    self_defined_ethnicity,
    gender,
    age_range,
    legislation,
    object_of_search,
    outcome,
    coalesce(ended_in_arrest, false) as ended_in_arrest,
    residents_of_ethnic_group,
    1000.0 / nullif(residents_of_ethnic_group, 0) as searches_per_1000_residents_of_ethnic_group
from with_residents
