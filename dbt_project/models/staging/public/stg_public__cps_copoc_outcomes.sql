{#- CPS case outcomes by principal offence category, one row per month, area, category and measure (convictions,
    unsuccessful, admin_finalised): defendants and the published percentage, each with its marker (a percentage with
    a zero denominator is not applicable, never 0). The area's police force area codes come from the alias table: two
    for "Metropolitan and City" (one CPS area over the Metropolitan Police and the City of London), none for National. -#}
with copoc as (

    select * from {{ source('raw', 'public_cps_copoc') }}

),

area_codes as (

    select force_name, list(area_code order by area_code) as area_codes
    from {{ ref('ref_force_name_aliases') }}
    group by force_name

)

select
    cast(strptime(copoc._reporting_month || '-01', '%Y-%m-%d') as date) as finalised_month,
    copoc.area_name,
    copoc.area_name = 'National' as is_national,
    area_codes.area_codes,
    copoc.offence_category,
    lower(replace(copoc.measure, ' ', '_')) as measure,
    copoc.defendants,
    copoc.defendants_marker,
    copoc.percentage,
    copoc.percentage_marker,
    copoc._source_file,
    copoc._line_number
from copoc
left join area_codes on area_codes.force_name = copoc.area_name
