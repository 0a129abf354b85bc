{#- The measure catalogue BI users read beside the values: every definition field, one row per scorecard and measure. -#}
with definitions as (

    select * from {{ ref('stg_definitions__measures') }}

)

select
    scorecard_id,
    scorecard_title,
    section_id,
    section_title,
    measure_id,
    title,
    description,
    unit,
    counting_basis,
    source_agencies,
    source_extracts,
    owner_agency,
    frequency,
    polarity,
    availability,
    availability_reason,
    definition_file
from definitions
