with source as (

    select * from {{ source('definitions', 'measure_parts') }}

)

select
    measure_id,
    part,
    model,
    date_column,
    "window" as measure_window,
    filter_sql,
    aggregate,
    column_name,
    min_events,
    per_1000_residents,
    key_scope
from source
