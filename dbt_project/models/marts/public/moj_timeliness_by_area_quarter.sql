{#- MoJ court timeliness per quarter, court type and geography (national, region, LCJB area, court): the comparator
    for the warehouse's timeliness means and medians. -#}
select * exclude (_source_file, _line_number, period)
from {{ ref('stg_public__moj_timeliness') }}
