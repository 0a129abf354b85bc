{#- The measure catalogue BI users read beside the values: every definition field, one row per scorecard and measure. -#}
with definitions as (

    select * from {{ ref('stg_definitions__measures') }}

)

select * exclude (scorecard_file)
from definitions
