{#- police.uk outcomes, one row per outcome a force recorded. police.uk files repeat some rows exactly: rows of the
    same file equal in every published column are one outcome (the first line kept). Different outcomes of one crime
    (charged, then fined) are different rows and all kept. -#}
with outcomes as (

    select * from {{ source('raw', 'public_police_uk_outcomes') }}

),

distinct_outcomes as (

    select *
    from outcomes
    qualify row_number() over (
        partition by _source_file, crime_id, outcome_month, reported_by, falls_within, longitude, latitude, location,
            lsoa_code, lsoa_name, outcome_type
        order by _line_number
    ) = 1

)

select
    distinct_outcomes.crime_id,
    cast(strptime(distinct_outcomes.outcome_month || '-01', '%Y-%m-%d') as date) as outcome_month,
    {{ area_code_for_force('distinct_outcomes.falls_within') }} as area_code,
    distinct_outcomes.falls_within as force_name,
    distinct_outcomes.outcome_type,
    distinct_outcomes.location = 'No Location' as has_no_location,
    distinct_outcomes._source_file,
    distinct_outcomes._line_number
from distinct_outcomes
