with source as (

    select * from {{ source('definitions', 'measures') }}

)

select
    scorecard_id,
    scorecard_title,
    section_id,
    section_title,
    measure_id,
    title,
    description,
    owner_agency,
    source_agencies,
    source_extracts,
    counting_basis,
    unit,
    frequency,
    polarity,
    availability,
    availability_reason,
    definition_file
from source
