{#- The reporting months each extract has delivered (a file loaded, possibly replaced later). A month whose file was
    refused and never loaded is not delivered: figures that need it are not available, never zero. -#}
with load_log as (

    select * from {{ source('audit', 'load_log') }}

),

delivered as (

    select distinct
        extract,
        cast(reporting_month || '-01' as date) as month_start
    from load_log
    where outcome in ('loaded', 'replaced')

)

select * from delivered
