{#- CPS finalisations in the police force area they belong to. The CPS names some forces jointly ("Metropolitan and
    City"): there the URN's force number decides, and without one the row is kept, marked as uncertain. -#}
with finalisations as (

    select * from {{ ref('stg_cps__finalisations') }}

),

force_aliases as (

    select force_name, area_code, covers_several_areas = 'Y' as is_joint_name
    from {{ ref('ref_force_name_aliases') }}

),

force_areas as (

    select * from {{ ref('ref_police_force_areas') }}

),

candidate_areas as (

    select
        finalisations.*,
        force_aliases.area_code,
        force_aliases.is_joint_name,
        coalesce(substr(finalisations.urn_key, 1, 2) = force_areas.force_number, false) as is_confirmed_by_urn
    from finalisations
    inner join force_aliases
        on finalisations.force_name = force_aliases.force_name
    inner join force_areas
        on force_aliases.area_code = force_areas.area_code

),

finalisations_with_area as (

    select
        * exclude (is_confirmed_by_urn),
        is_joint_name and not is_confirmed_by_urn as is_area_uncertain,
        cast(date_trunc('month', finalisation_date) as date) as finalisation_month
    from candidate_areas
    qualify row_number() over (
        partition by _source_file, _line_number
        order by is_confirmed_by_urn desc, area_code
    ) = 1

)

select * from finalisations_with_area
