{#- Manual inputs: the figures board members enter for measures the agency extracts cannot give (availability
    manual_input), one row per measure, police force area and month. Period Start arrives as text (checked at ingestion
    to be a month's first day) and becomes the month's first and last days. A later file may re-send an earlier
    month's figure to correct it: only the latest delivery's row is kept. -#}
with source as (

    select * from {{ source('raw', 'manual_measure_values') }}

),

renamed as (

    select
        trim(measure_id) as measure_id,
        trim(area_code) as area_code,
        cast(period_start as date) as period_start,
        cast(last_day(cast(period_start as date)) as date) as period_end,
        value,
        numerator,
        denominator,
        trim(supplied_by) as supplied_by,
        nullif(trim(note), '') as note,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

latest_delivery as (

    select *
    from renamed
    qualify row_number() over (
        partition by measure_id, area_code, period_start
        order by _reporting_month desc, _line_number
    ) = 1

)

select * from latest_delivery
