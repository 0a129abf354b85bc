{#- One row per stop and search (police stop and search extract), dated by the search, with the officer-defined
    ethnic group (the disproportionality basis; rates per 1,000 residents of a group come from the engine's
    per_1000_residents, over the reporting unit's residents). -#}
with searches as (

    select * from {{ ref('stg_police__stop_search') }}

)

select
    {{ area_code_for_force('searches.force_name') }} as area_code,
    search_id,
    search_date,
    search_type,
    officer_defined_ethnicity as ethnic_group,
    self_defined_ethnicity,
    gender,
    age_range,
    legislation,
    object_of_search,
    outcome,
    coalesce(ended_in_arrest, false) as ended_in_arrest
from searches
