{#- MoJ court timeliness, one row per quarter, court type and geography: the level is the most specific of National,
    Region, LCJB area and LJA/court that is not "-" (a row may repeat its parents' names, as the simulator's
    lookalike does, or leave them "-"). Days; a marker says why a figure is empty. -#}
with timeliness as (

    select * from {{ source('raw', 'public_moj_court_timeliness') }}

)

select
    make_date(year, 3 * cast(regexp_extract(period, 'Q([1-4])', 1) as integer) - 2, 1) as quarter_start,
    period,
    court_type,
    case
        when court_name <> '-' then 'court'
        when lcjb_area <> '-' then 'lcjb_area'
        when region <> '-' then 'region'
        else 'national'
    end as geography_level,
    coalesce(nullif(court_name, '-'), nullif(lcjb_area, '-'), nullif(region, '-'), nullif(national, '-')) as geography_name,
    defendants,
    defendants_marker,
    mean_offence_to_charge,
    mean_offence_to_charge_marker,
    mean_charge_to_first_list,
    mean_charge_to_first_list_marker,
    mean_first_list_to_completion,
    mean_first_list_to_completion_marker,
    mean_offence_to_completion,
    mean_offence_to_completion_marker,
    median_offence_to_charge,
    median_offence_to_charge_marker,
    median_charge_to_first_list,
    median_charge_to_first_list_marker,
    median_first_list_to_completion,
    median_first_list_to_completion_marker,
    median_offence_to_completion,
    median_offence_to_completion_marker,
    _source_file,
    _line_number
from timeliness
