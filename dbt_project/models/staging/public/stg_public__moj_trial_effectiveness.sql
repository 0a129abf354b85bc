{#- MoJ trial effectiveness, one row per quarter, court type, geography, effectiveness and reason. The level is the
    finest of Region, LCJB area and Police force area that is not "-"; a police force area gets its ONS code through
    the alias table. Reason is null where the file says "-" (not applicable: no reason given at this row). -#}
with trials as (

    select * from {{ source('raw', 'public_moj_trial_effectiveness') }}

)

select
    make_date(trials.year, 3 * cast(regexp_extract(trials.quarter, '([1-4])[^0-9]*$', 1) as integer) - 2, 1) as quarter_start,
    trials.court_type,
    case
        when trials.police_force_area <> '-' then 'police_force_area'
        when trials.lcjb_area <> '-' then 'lcjb_area'
        when trials.region <> '-' then 'region'
        else 'national'
    end as geography_level,
    coalesce(nullif(trials.police_force_area, '-'), nullif(trials.lcjb_area, '-'), nullif(trials.region, '-'), 'England and Wales')
        as geography_name,
    {{ area_code_for_force('trials.police_force_area') }} as area_code,
    case left(trials.trial_effectiveness, 1)
        when '1' then 'effective' when '2' then 'cracked' when '3' then 'ineffective' when '4' then 'vacated'
    end as trial_outcome,
    nullif(trials.reason, '-') as reason,
    trials.trials,
    trials.trials_marker,
    trials._source_file,
    trials._line_number
from trials
