{#- Published comparators: for every measure whose definition names a published series (comparator.series, see
    ref_published_series), every police force area and every scorecard period the series covers, the England and
    Wales figure the agency published and the figure of the area's peer group (ref_peer_groups) from the same
    publication, on the measure's scale. A quarter or rolling year of a monthly series is the sum of its months, only
    when every month is published; a quarterly series gives quarters only. A rate pools the peers' numerators and
    denominators; a count is the peers' mean. Peers are given only when every other force of the group has a
    published figure (a partial group is not its group); a published area spanning several forces (COPOC Metropolitan
    and City) counts once, and never as its own member's peer. England and Wales for police.uk is the sum of the
    forces' files only when all 43 forces published the month. Figures withheld by a marker are never taken as 0. -#}
with series as (

    select * from {{ ref('ref_published_series') }}

),

comparator_measures as (

    select distinct measure_id, comparator_series as series, scale
    from {{ ref('stg_definitions__measures') }}
    where comparator_series is not null

),

peer_groups as (

    select area_code, peer_group from {{ ref('ref_peer_groups') }}

),

periods as (

    select period_type, period_start, period_end from {{ ref('int_scorecard__periods') }}

),

-- every offence category (the All Offences row holds administrative finalisations only)
copoc_all_offences as (

    select is_national, area_codes, finalised_month, sum(convictions) as convictions, sum(unsuccessful) as unsuccessful
    from {{ ref('cps_copoc_by_area_month') }}
    where offence_category <> 'All Offences'
    group by all

),

police_uk_crimes as (

    select * from {{ ref('police_uk_crimes_by_type_month') }} where crime_type <> 'Anti-social behaviour'

),

-- trial listings per force and quarter, both court types; a count withheld ([c]) leaves the rate unknown, never 0
force_trials as (

    select
        area_code,
        quarter_start,
        case when bool_or(has_withheld_counts) then null else sum(effective) end as effective,
        case when bool_or(has_withheld_counts) then null else sum(ineffective) end as ineffective,
        case when bool_or(has_withheld_counts) then null else sum(effective + cracked + ineffective) end as listed
    from {{ ref('moj_trial_effectiveness_by_area_quarter') }}
    where geography_level = 'police_force_area'
    group by all

),

-- England and Wales: the sum of the 43 forces, when every force's counts are published
trial_totals as (

    select false as is_national, [area_code] as area_codes, quarter_start, effective, ineffective, listed
    from force_trials
    union all
    select true, null, quarter_start, sum(effective), sum(ineffective), sum(listed)
    from force_trials
    group by quarter_start
    having count(distinct area_code) = 43 and count(listed) = 43

),

-- one row per series, published area (or England and Wales) and the period it is published for
published_figures as (

    select 'cps_copoc_conviction_rate' as series, is_national, area_codes, finalised_month as period_start,
        convictions as numerator, convictions + unsuccessful as denominator
    from copoc_all_offences
    union all
    select 'cps_copoc_unsuccessful', is_national, area_codes, finalised_month, unsuccessful, null
    from copoc_all_offences
    union all
    select 'police_uk_crimes', false, [area_code], crime_month, sum(crimes), null
    from police_uk_crimes
    group by area_code, crime_month
    union all
    select 'police_uk_crimes', true, null, crime_month, sum(crimes), null
    from police_uk_crimes
    group by crime_month
    having count(distinct area_code) = 43
    union all
    select 'moj_effective_trial_rate', is_national, area_codes, quarter_start, effective, listed from trial_totals
    union all
    select 'moj_ineffective_trial_rate', is_national, area_codes, quarter_start, ineffective, listed from trial_totals

),

-- the scorecard periods each figure falls in, and how many published parts a complete period has
figure_periods as (

    select
        published_figures.*,
        series.unit,
        periods.period_type as scorecard_period_type,
        periods.period_start as scorecard_period_start,
        case when series.period_type = 'month' then datediff('month', periods.period_start, periods.period_end) + 1 else 1 end
            as parts_expected
    from published_figures
    inner join series
        on published_figures.series = series.series
    inner join periods
        on published_figures.period_start between periods.period_start and periods.period_end
        and (series.period_type = 'month' or periods.period_type = 'quarter')

),

published_periods as (

    select
        series,
        unit,
        is_national,
        area_codes,
        scorecard_period_type as period_type,
        scorecard_period_start as period_start,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from figure_periods
    group by all
    having count(numerator) = any_value(parts_expected)

),

area_figures as (

    select *, unnest(area_codes) as area_code from published_periods where not is_national

),

national_figures as (

    select series, period_type, period_start,
        case when unit = 'percentage' then numerator / nullif(denominator, 0) else numerator end as value
    from published_periods
    where is_national

),

peer_members as (

    select members.area_code, members.peer_group, others.area_code as peer_area_code
    from peer_groups as members
    inner join peer_groups as others
        on members.peer_group = others.peer_group
        and members.area_code <> others.area_code

),

peer_counts as (

    select area_code, count(*) as peers from peer_members group by area_code

),

-- the area-periods whose every peer force has a published figure
complete_peers as (

    select peer_members.area_code, area_figures.series, area_figures.period_type, area_figures.period_start
    from peer_members
    inner join area_figures
        on peer_members.peer_area_code = area_figures.area_code
    inner join peer_counts
        on peer_members.area_code = peer_counts.area_code
    group by all
    having count(distinct peer_members.peer_area_code) = any_value(peer_counts.peers)

),

peer_areas as (

    select distinct
        peer_members.area_code,
        peer_members.peer_group,
        area_figures.series,
        area_figures.unit,
        area_figures.period_type,
        area_figures.period_start,
        area_figures.area_codes,
        area_figures.numerator,
        area_figures.denominator
    from peer_members
    inner join area_figures
        on peer_members.peer_area_code = area_figures.area_code
    where not list_contains(area_figures.area_codes, peer_members.area_code)

),

peer_values as (

    select
        peer_areas.area_code,
        peer_areas.peer_group,
        peer_areas.series,
        peer_areas.period_type,
        peer_areas.period_start,
        case
            when any_value(peer_areas.unit) = 'percentage' then sum(peer_areas.numerator) / nullif(sum(peer_areas.denominator), 0)
            else avg(peer_areas.numerator)
        end as value
    from peer_areas
    semi join complete_peers
        on peer_areas.area_code = complete_peers.area_code
        and peer_areas.series = complete_peers.series
        and peer_areas.period_type = complete_peers.period_type
        and peer_areas.period_start = complete_peers.period_start
    group by all

),

series_periods as (

    select distinct series, period_type, period_start from published_periods

)

select
    comparator_measures.measure_id,
    peer_groups.area_code,
    series_periods.period_type,
    series_periods.period_start,
    comparator_measures.series as comparator_series,
    national_figures.value * comparator_measures.scale as published_national_value,
    peer_groups.peer_group,
    peer_values.value * comparator_measures.scale as peer_value
from comparator_measures
inner join series_periods
    on comparator_measures.series = series_periods.series
cross join peer_groups
left join national_figures
    on series_periods.series = national_figures.series
    and series_periods.period_type = national_figures.period_type
    and series_periods.period_start = national_figures.period_start
left join peer_values
    on peer_groups.area_code = peer_values.area_code
    and series_periods.series = peer_values.series
    and series_periods.period_type = peer_values.period_type
    and series_periods.period_start = peer_values.period_start
