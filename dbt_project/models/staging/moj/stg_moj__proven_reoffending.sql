{#- MoJ proven reoffending, one row per police force area, cohort quarter, age group and index disposal. The cohort
    period ("Apr to Jun 2022") becomes the quarter's first and last days. A cohort is normally delivered once; should a
    later file re-deliver (revise) a cohort, only the latest delivery's row is kept, so the figures are the cohort's
    latest. -#}
with source as (

    select * from {{ source('raw', 'moj_proven_reoffending') }}

),

renamed as (

    select
        trim(area_code) as area_code,
        trim(force_name) as force_name,
        trim(cohort_period) as cohort_period,
        cast(strptime(
            '01 ' || split_part(trim(cohort_period), ' ', 1) || ' ' || split_part(trim(cohort_period), ' ', 4),
            '%d %b %Y'
        ) as date) as cohort_start,
        cast(last_day(strptime(
            '01 ' || split_part(trim(cohort_period), ' ', 3) || ' ' || split_part(trim(cohort_period), ' ', 4),
            '%d %b %Y'
        )) as date) as cohort_end,
        case age_group when 'Adult' then 'adult' when 'Juvenile' then 'juvenile' end as age_group,
        case index_disposal
            when 'Custody under 12 months' then 'custody_under_12_months'
            when 'Custody 12 months or more' then 'custody_12_months_or_more'
            when 'Court order' then 'court_order'
            when 'Other court disposal' then 'other_court_disposal'
            when 'Caution' then 'caution'
        end as index_disposal,
        offenders,
        reoffenders,
        reoffences,
        proportion_reoffending_pct,
        reoffences_per_reoffender,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

latest_delivery as (

    select *
    from renamed
    qualify row_number() over (
        partition by area_code, cohort_start, age_group, index_disposal
        order by _reporting_month desc, _line_number
    ) = 1

)

select * from latest_delivery
