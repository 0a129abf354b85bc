with source as (

    select * from {{ source('definitions', 'scorecard_areas') }}

)

select
    scorecard_id,
    area_code
from source
