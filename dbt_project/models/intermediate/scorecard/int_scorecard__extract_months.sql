{#- The reporting months each extract has delivered (a file loaded, possibly replaced later). A month whose file was
    refused and never loaded is not delivered: figures that need it are not available, never zero. Published statistics
    (extracts `public_*`: police.uk, CPS, MoJ) are comparators, not the board's data: their months (years of history,
    or none for MoJ time series) do not widen the scorecard's periods. -#}
with load_log as (

    select * from {{ source('audit', 'load_log') }}

),

delivered as (

    select distinct
        extract,
        cast(reporting_month || '-01' as date) as month_start
    from load_log
    where outcome in ('loaded', 'replaced') and not starts_with(extract, 'public_')

)

select * from delivered
