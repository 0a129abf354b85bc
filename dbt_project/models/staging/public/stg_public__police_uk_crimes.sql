{#- police.uk street-level crimes, one row per published row: a crime, or an anti-social behaviour incident (no Crime
    ID, no outcome). "No Location" rows are kept (they are crimes; only their place is withheld). The area is the
    police force area the force's name stands for ("Falls within", through the alias table). -#}
with street as (

    select * from {{ source('raw', 'public_police_uk_street') }}

)

select
    street.crime_id,
    cast(strptime(street.crime_month || '-01', '%Y-%m-%d') as date) as crime_month,
    {{ area_code_for_force('street.falls_within') }} as area_code,
    street.falls_within as force_name,
    street.crime_type,
    street.crime_type = 'Anti-social behaviour' as is_anti_social_behaviour,
    street.location = 'No Location' as has_no_location,
    street.lsoa_code,
    street.longitude,
    street.latitude,
    street.last_outcome_category,
    street._source_file,
    street._line_number
from street
