{#- Open court cases at each month end per area and court type: HMCTS's stock, as its snapshot says. -#}
with outstanding as (

    select * from {{ ref('stg_hmcts__outstanding') }}

),

court_centres as (

    select * from {{ ref('ref_court_centres') }}

),

outstanding_by_area_month as (

    select
        court_centres.area_code,
        outstanding.court_type,
        cast(date_trunc('month', outstanding.as_at_date) as date) as month_start,
        max(outstanding.as_at_date) as as_at,
        count(*) as outstanding_cases
    from outstanding
    left join court_centres
        on outstanding.court_type = court_centres.court_type
        and outstanding.court_code = court_centres.court_code
    group by all

)

select * from outstanding_by_area_month
