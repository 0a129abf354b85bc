{#- The geography lookup as published: each local authority district with its community safety partnership and
    police force area (newest ONS vintage loaded), and how many of each the other side has, since the two are
    many-to-many (a partnership over two districts, a new unitary district over its predecessors' partnerships). -#}
select
    vintage_year,
    lad_code,
    lad_name,
    csp_code,
    csp_name,
    pfa_code,
    pfa_name,
    count(*) over (partition by csp_code) as lads_in_csp,
    count(*) over (partition by lad_code) as csps_in_lad
from {{ ref('stg_public__ons_geography') }}
