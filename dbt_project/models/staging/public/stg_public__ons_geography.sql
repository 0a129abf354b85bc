{#- The ONS local authority district -> community safety partnership -> police force area lookup in force: the newest
    vintage loaded, one row per district and partnership. Raw keeps every vintage landed; the newest is taken as a whole,
    never the newest row of each district, because boundaries change between vintages (districts merge into unitary
    authorities) and a district abolished since must not linger. Names as ONS writes them (trimmed at read time). -#}
with lookup as (

    select * from {{ source('raw', 'public_ons_geography') }}

),

newest_vintage as (

    select max(vintage) as vintage from lookup

)

select
    2000 + lookup.vintage as vintage_year,
    lookup.lad_code,
    lookup.lad_name,
    lookup.csp_code,
    lookup.csp_name,
    lookup.pfa_code,
    lookup.pfa_name,
    lookup._source_file,
    lookup._line_number
from lookup
inner join newest_vintage on lookup.vintage = newest_vintage.vintage
