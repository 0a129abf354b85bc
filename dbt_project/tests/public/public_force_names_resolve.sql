{{ config(tags=["public"], meta={"dagster": {"ref": {"name": "ref_force_name_aliases"}}}) }}
{#- Every force name the loaded public files use resolves through ref_force_name_aliases, as its publisher spells it:
    police.uk's "Falls within", the CPS COPOC areas (National aside), MoJ police force areas and LCJB areas (the name
    before " LCJB"; London is the Metropolitan Police and the City of London) and the ONS lookup's force areas.
    Returns each spelling no alias matches, with the release it came from. -#}
with spellings as (

    select distinct 'police.uk street' as release, force_name from {{ ref('stg_public__police_uk_crimes') }}
    union all
    select distinct 'police.uk outcomes', force_name from {{ ref('stg_public__police_uk_outcomes') }}
    union all
    select distinct 'CPS COPOC', area_name from {{ ref('stg_public__cps_copoc_outcomes') }} where not is_national
    union all
    select distinct 'MoJ trial effectiveness', geography_name from {{ ref('stg_public__moj_trial_effectiveness') }}
    where geography_level = 'police_force_area'
    union all
    select distinct 'MoJ trial effectiveness LCJB', regexp_replace(geography_name, ' LCJB$', '')
    from {{ ref('stg_public__moj_trial_effectiveness') }}
    where geography_level = 'lcjb_area'
    union all
    select distinct 'MoJ timeliness LCJB', regexp_replace(geography_name, ' LCJB$', '')
    from {{ ref('stg_public__moj_timeliness') }}
    where geography_level = 'lcjb_area'
    union all
    select distinct 'ONS lookup', pfa_name from {{ ref('stg_public__ons_geography') }}

),

aliases as (

    select distinct force_name from {{ ref('ref_force_name_aliases') }}

)

select spellings.release, spellings.force_name
from spellings
left join aliases on spellings.force_name = aliases.force_name
where aliases.force_name is null
