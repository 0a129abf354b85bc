with source as (

    select * from {{ source('definitions', 'measure_breakdowns') }}

)

select
    measure_id,
    breakdown
from source
