with source as (

    select * from {{ source('definitions', 'measures') }}

)

select
    scorecard_id,
    scorecard_title,
    section_id,
    section_title,
    section_order,
    measure_order,
    measure_id,
    title,
    library_title,
    description,
    owner_agency,
    source_agencies,
    source_extracts,
    counting_basis,
    period_types,
    unit,
    scale,
    aggregate,
    computation,
    frequency,
    polarity,
    -- typed here: no board sets a target yet, and a column of nulls read from the definitions would be published
    -- as DuckDB's NULL type (Parquet's NullType), which BI tools cannot map
    cast(target as double) as target,
    cast(rag_green as double) as rag_green,
    cast(rag_red as double) as rag_red,
    disclosure,
    disclosure_rests_on,
    breakdowns,
    availability,
    availability_reason,
    estimate_reason,
    provisional_months,
    provisional_reason,
    comparator_series,
    comparator_basis,
    definition_file,
    scorecard_file
from source
