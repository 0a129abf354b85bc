{#- CPS figures that exist for a CPS Area only, apportioned to its police force areas: every row is an estimate
    (is_estimate) with its method recorded. The CPS Area figure is split in proportion to a force-level figure of the
    same month (apportionment_method share_of_<basis>): CPS finalisations by the HMCTS disposals that finalised a
    case (magistrates' disposals other than sendings, plus Crown Court disposals), pre-charge figures by the police's
    crime-suspects charged; equally among the CPS Area's forces (equal_split) when the basis is zero or not delivered
    for every force of the area that month. Whole numbers by the largest-remainder method (ties to the lower area
    code), so the forces' figures add up to the CPS Area's exactly. The CPS Area figures here are the CPS extracts
    grouped by their CPS_AREA column (as a CPS Area publication would give them); where the extract names the force
    too, reported_force_value holds the force's own figure, so the estimate's error can be read off. -#}
with finalisations as (

    select * from {{ ref('int_cps_finalisations_with_area') }}

),

precharge_decisions as (

    select * from {{ ref('int_cps_precharge_decisions_with_area') }}

),

flows as (

    select * from {{ ref('reconcile_flows_by_area_month') }}

),

cps_areas as (

    select * from {{ ref('ref_cps_areas') }}

),

cps_area_figures as (

    select cps_area, finalisation_month as month_start, 'cps_finalisations' as figure, count(*) as cps_area_value
    from finalisations
    group by all

    union all

    select cps_area, response_month, 'cps_precharge_decisions_files', count(distinct crime_reference_key)
    from precharge_decisions
    where is_charging_decision
    group by all

    union all

    select cps_area, response_month, 'cps_charges_suspects', count(*)
    from precharge_decisions
    where response_type = 'charge'
    group by all

),

flows_with_totals as (

    select
        area_code,
        month_start,
        police_charges_crime_suspects,
        hmcts_mc_disposals_finalised + hmcts_cc_disposals as hmcts_disposals_finalised,
        cps_finalisations_mc + cps_finalisations_cc as cps_finalisations,
        cps_precharge_decisions_files,
        cps_charges_suspects
    from flows

),

force_figures as (

    {#- per force and month: the apportionment bases and the force's own reported figures (a figure not delivered
        is no row) -#}
    unpivot flows_with_totals
    on police_charges_crime_suspects, hmcts_disposals_finalised, cps_finalisations, cps_precharge_decisions_files,
        cps_charges_suspects
    into name figure value value

),

figure_bases (figure, basis) as (

    values
        ('cps_finalisations', 'hmcts_disposals_finalised'),
        ('cps_precharge_decisions_files', 'police_charges_crime_suspects'),
        ('cps_charges_suspects', 'police_charges_crime_suspects')

),

force_shares as (

    select
        cps_area_figures.cps_area,
        cps_areas.area_code,
        cps_area_figures.month_start,
        cps_area_figures.figure,
        cps_area_figures.cps_area_value,
        figure_bases.basis,
        cast(coalesce(basis_figures.value, 0) as bigint) as basis_value,
        cast(reported_figures.value as bigint) as reported_force_value
    from cps_area_figures
    inner join cps_areas
        on cps_area_figures.cps_area = cps_areas.cps_area
    inner join figure_bases
        on cps_area_figures.figure = figure_bases.figure
    left join force_figures as basis_figures
        on cps_areas.area_code = basis_figures.area_code
        and cps_area_figures.month_start = basis_figures.month_start
        and figure_bases.basis = basis_figures.figure
    left join force_figures as reported_figures
        on cps_areas.area_code = reported_figures.area_code
        and cps_area_figures.month_start = reported_figures.month_start
        and cps_area_figures.figure = reported_figures.figure

),

weights as (

    select
        *,
        sum(basis_value) over cps_area_month > 0 as has_basis
    from force_shares
    window cps_area_month as (partition by cps_area, month_start, figure)

),

whole_shares as (

    select
        *,
        case when has_basis then 'share_of_' || basis else 'equal_split' end as apportionment_method,
        case when has_basis then basis_value else 1 end as weight,
        sum(case when has_basis then basis_value else 1 end) over cps_area_month as weight_total
    from weights
    window cps_area_month as (partition by cps_area, month_start, figure)

),

remainders as (

    select
        *,
        (cps_area_value * weight) // weight_total as whole_share,
        (cps_area_value * weight) % weight_total as remainder
    from whole_shares

),

apportioned as (

    select
        *,
        cps_area_value - sum(whole_share) over cps_area_month as units_left,
        row_number() over (partition by cps_area, month_start, figure order by remainder desc, area_code)
            as remainder_rank
    from remainders
    window cps_area_month as (partition by cps_area, month_start, figure)

),

estimates as (

    select
        cps_area,
        area_code,
        month_start,
        figure,
        cps_area_value,
        apportionment_method,
        basis_value,
        round(weight / weight_total, 6) as share,
        cast(whole_share + case when remainder_rank <= units_left then 1 else 0 end as bigint) as apportioned_value,
        reported_force_value,
        true as is_estimate,
        'in_period' as counting_basis,
        cast(last_day(month_start) as date) as as_at
    from apportioned

)

select
    *,
    sum(apportioned_value) over (partition by cps_area, month_start, figure) = cps_area_value
        as adds_up_to_cps_area_value
from estimates
