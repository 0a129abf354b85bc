{#- One row per arrest (police arrests extract: one per crime-suspect arrested, so a person arrested for two crimes
    is two arrests), dated by the arrest, with the suspect's pseudonymised key (people re-arrested are counted as
    distinct keys), adulthood at arrest, the self-defined ethnic group (the 18+1 code's group) and the offence's Home Office
    classification (violent, neighbourhood crime). -#}
with arrests as (

    select * from {{ ref('stg_police__arrests') }}

),

offence_codes as (

    select * from {{ ref('ref_ho_offence_codes') }}

)

select
    {{ area_code_for_force('arrests.force_name', "split_part(arrests.crime_reference, '/', 1)") }} as area_code,
    arrests.arrest_id,
    arrests.arrest_date,
    arrests.crime_reference,
    arrests.suspect_key,
    arrests.age_at_arrest,
    coalesce(arrests.is_adult, false) as is_adult,
    arrests.offence_code,
    offence_codes.offence_group,
    coalesce(offence_codes.is_violent, false) as is_violent,
    coalesce(offence_codes.is_neighbourhood_crime, false) as is_neighbourhood_crime,
    coalesce(arrests.is_domestic_abuse, false) as is_domestic_abuse,
    arrests.custody_outcome,
    coalesce(arrests.custody_outcome = 'charged', false) as is_charged,
    case left(arrests.suspect_ethnicity_code, 1)
        when 'W' then 'White'
        when 'B' then 'Black'
        when 'A' then 'Asian'
        when 'M' then 'Mixed'
        when 'O' then 'Other'
    end as ethnic_group
from arrests
left join offence_codes
    on arrests.offence_code = offence_codes.offence_code
