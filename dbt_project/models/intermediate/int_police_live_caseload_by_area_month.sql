with caseload as (

    select * from {{ ref('stg_police__live_caseload') }}

),

force_areas as (

    select * from {{ ref('ref_police_force_areas') }}

),

caseload_with_area as (

    select
        force_areas.area_code,
        force_areas.area_name,
        caseload.*
    from caseload
    left join force_areas
        on lower(caseload.force_name) = lower(force_areas.area_name)

),

caseload_by_area_month as (

    select
        area_code,
        area_name,
        snapshot_month as period_start,
        cast(last_day(snapshot_month) as date) as period_end,
        max(snapshot_date) as as_at,
        count(*) filter (where caseload_status = 'released_under_investigation') as rui_live,
        count(*) filter (where caseload_status = 'pre_charge_bail') as bail_live,
        count(*) filter (where caseload_status = 'under_investigation') as under_investigation_live,
        count(*) filter (where caseload_status = 'charged_awaiting_court') as charged_awaiting_court_live,
        count(distinct urn_key) filter (where caseload_status = 'charged_awaiting_court') as charged_awaiting_court_cases,
        sum(days_in_status) filter (where caseload_status = 'released_under_investigation') as rui_days_total
    from caseload_with_area
    group by area_code, area_name, snapshot_month

)

select * from caseload_by_area_month
