{{ config(meta={"dagster": {"ref": {"name": "ref_peer_groups"}}}) }}
{#- Every police force area has a peer group (ref_peer_groups), so every area's scorecard can show its peers. -#}
select force_areas.area_code, force_areas.area_name
from {{ ref('ref_police_force_areas') }} as force_areas
left join {{ ref('ref_peer_groups') }} as peer_groups
    on force_areas.area_code = peer_groups.area_code
where peer_groups.area_code is null
