{#- Crimes police.uk published, per police force area, month and crime type (anti-social behaviour included, as its
    own type): the comparator for the warehouse's recorded crimes by police.uk crime type. -#}
select
    area_code,
    force_name,
    crime_month,
    crime_type,
    count(*) as crimes
from {{ ref('stg_public__police_uk_crimes') }}
group by all
