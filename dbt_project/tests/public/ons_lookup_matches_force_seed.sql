{{ config(tags=["public"], meta={"dagster": {"ref": {"name": "stg_public__ons_geography"}}}) }}
{#- The force seed against the newest ONS lookup loaded, both ways: every police force area of the lookup is in
    ref_police_force_areas under the same code and name, and every area of the seed is in the lookup. Returns each
    disagreement with what is wrong; nothing when no lookup is loaded (nothing to check against). -#}
with lookup_areas as (

    select distinct pfa_code as area_code, pfa_name as area_name
    from {{ ref('stg_public__ons_geography') }}

),

seed_areas as (

    select area_code, area_name from {{ ref('ref_police_force_areas') }}

)

select
    coalesce(lookup_areas.area_code, seed_areas.area_code) as area_code,
    lookup_areas.area_name as ons_name,
    seed_areas.area_name as seed_name,
    case
        when seed_areas.area_code is null then 'in the ONS lookup, not in the seed'
        when lookup_areas.area_code is null then 'in the seed, not in the ONS lookup'
        else 'named differently'
    end as problem
from lookup_areas
full join seed_areas on lookup_areas.area_code = seed_areas.area_code
where lookup_areas.area_name is distinct from seed_areas.area_name
    and exists (select 1 from lookup_areas)
