{#- The reporting months each extract has delivered (a file loaded, possibly replaced later). A month whose file was
    refused and never loaded is not delivered: figures that need it are not available, never zero. The
    public releases delivered as one file (MoJ timeliness and trial effectiveness) have no reporting month and are
    not listed. -#}
with load_log as (

    select * from {{ source('audit', 'load_log') }}

),

delivered as (

    select distinct
        extract,
        cast(reporting_month || '-01' as date) as month_start
    from load_log
    where outcome in ('loaded', 'replaced')
        and reporting_month is not null  -- a release delivered as one file for all its periods (MoJ) has no month

)

select * from delivered
