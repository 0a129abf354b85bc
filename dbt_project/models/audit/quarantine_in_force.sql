{#- Rejected rows of the deliveries now in force: what is missing from the raw layer and why. -#}
with load_log as (

    select * from {{ source('audit', 'load_log') }}

),

quarantine as (

    select * from {{ source('audit', 'quarantine') }}

),

deliveries_in_force as (

    select extract, reporting_month, file_sha256, loaded_at
    from load_log
    where outcome in ('loaded', 'replaced')
    qualify row_number() over (partition by extract, reporting_month order by loaded_at desc) = 1

)

select quarantine.*
from quarantine
inner join deliveries_in_force
    using (extract, reporting_month, file_sha256, loaded_at)
