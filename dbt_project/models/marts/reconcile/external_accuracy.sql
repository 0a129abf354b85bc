{#- External accuracy: each figure the warehouse computes that an agency also publishes, side by side with the
    published figure for the same area, period and category, with a tolerance that allows for small counts (dbt vars
    external_accuracy_*, documented in dbt_project.yml and docs/public_data.md). Only area-periods both sides have;
    a published figure with a marker keeps its row, with within_tolerance null and the marker, never compared as 0.
    Series:
      - police_uk_crimes: crimes recorded in the month by police.uk crime type (police crimes extract, New records,
        mapped by ref_ho_offence_codes.police_uk_crime_type; anti-social behaviour is not a crime and not compared);
      - cps_convictions / cps_unsuccessful: defendant-cases the CPS finalised in the month by principal offence
        category and CPS area (COPOC's basis; its All Offences row holds administrative finalisations only);
      - moj_timeliness_median: median days per stage of defendant-cases completed in the quarter, per LCJB area and
        court type (int_case_journey; Crown Court = the case was sent there);
      - moj_effective_trial_rate: effective / (effective + cracked + ineffective) trial listings in the quarter, per
        police force area and court type (HMCTS hearings). -#}
{{ config(tags=['after_probabilistic_linkage']) }}

{%- set mc, cc, all_courts = "'Magistrates'' courts'", "'Crown Court'", "'All courts'" %}
{#- the MoJ timeliness stages, each a median on both sides -#}
{%- set timeliness_stages = ['offence_to_charge', 'charge_to_first_list', 'first_list_to_completion', 'offence_to_completion'] %}

with crime_types as (

    select offence_code, police_uk_crime_type from {{ ref('ref_ho_offence_codes') }}

),

warehouse_crimes as (

    select
        crimes.area_code,
        cast(date_trunc('month', crimes.recorded_date) as date) as period_start,
        crime_types.police_uk_crime_type as category,
        count(*) as warehouse_value
    from {{ ref('fct_police_crimes_recorded') }} as crimes
    left join crime_types
        on crimes.offence_code = crime_types.offence_code
    group by all

),

published_crimes as (

    select area_code, force_name as area_name, crime_month as period_start, crime_type as category, crimes as published_value
    from {{ ref('police_uk_crimes_by_type_month') }}
    where crime_type <> 'Anti-social behaviour'

),

crime_area_months as (

    select area_code, period_start from warehouse_crimes
    intersect
    select area_code, period_start from published_crimes

),

police_uk_crimes as (

    {{ monthly_count_comparison('warehouse_crimes', 'published_crimes', 'area_code', "'police_uk_crimes'",
                                ['period_start', 'category']) }}

),

-- COPOC areas: one CPS area per county-level row; Metropolitan and City spans two force areas
copoc_outcomes as (

    select *, array_to_string(area_codes, '|') as area_key
    from {{ ref('cps_copoc_by_area_month') }}
    where not is_national

),

copoc_area_codes as (

    select distinct area_name, area_key, unnest(area_codes) as area_code from copoc_outcomes

),

warehouse_finalisations as (

    select
        copoc_area_codes.area_key,
        cast(date_trunc('month', finalisations.finalisation_date) as date) as period_start,
        finalisations.principal_offence_category as category,
        count(*) filter (where finalisations.is_conviction) as cps_convictions,
        count(*) filter (where finalisations.is_unsuccessful) as cps_unsuccessful
    from {{ ref('fct_cps_finalisations') }} as finalisations
    inner join copoc_area_codes
        on finalisations.area_code = copoc_area_codes.area_code
    group by all

),

warehouse_outcomes as (

    unpivot warehouse_finalisations on cps_convictions, cps_unsuccessful into name series value warehouse_value

),

published_outcomes as (

    unpivot (
        select area_key, area_name, finalised_month as period_start, offence_category as category,
            convictions as cps_convictions, unsuccessful as cps_unsuccessful
        from copoc_outcomes
        where offence_category <> 'All Offences'  -- its row holds administrative finalisations only
    ) on cps_convictions, cps_unsuccessful into name series value published_value

),

copoc_area_months as (

    select area_key, period_start from warehouse_outcomes
    intersect
    select area_key, period_start from published_outcomes

),

cps_outcomes as (

    {{ monthly_count_comparison('warehouse_outcomes', 'published_outcomes', 'area_key',
                                'coalesce(warehouse_outcomes.series, published_outcomes.series)',
                                ['period_start', 'category', 'series']) }}

),

-- MoJ timeliness: LCJB areas named `<force> LCJB` (CPS spellings; London, the MoJ's, = Metropolitan and City)
published_timeliness as (

    select * from {{ ref('moj_timeliness_by_area_quarter') }} where geography_level = 'lcjb_area'

),

lcjb_area_codes as (

    select distinct published_timeliness.geography_name as area_name, aliases.area_code
    from published_timeliness
    inner join {{ ref('ref_force_name_aliases') }} as aliases
        on aliases.force_name = regexp_replace(published_timeliness.geography_name, ' LCJB$', '')

),

lcjb_keys as (

    select area_name, string_agg(area_code, '|' order by area_code) as area_key from lcjb_area_codes group by area_name

),

journey_durations as (

    select
        lcjb_area_codes.area_name,
        cast(date_trunc('quarter', journey.finalisation_date) as date) as period_start,
        case when journey.cc_case_number is not null then {{ cc }} else {{ mc }} end as court_type,
        journey.charge_date - journey.offence_date as offence_to_charge,
        journey.first_hearing_date - journey.charge_date as charge_to_first_list,
        journey.finalisation_date - journey.first_hearing_date as first_list_to_completion,
        journey.finalisation_date - journey.offence_date as offence_to_completion
    from {{ ref('int_case_journey') }} as journey
    inner join lcjb_area_codes
        on journey.area_code = lcjb_area_codes.area_code
    where journey.finalisation_date is not null

),

warehouse_medians as (

    select
        area_name,
        period_start,
        coalesce(court_type, {{ all_courts }}) as court_type,
        median(offence_to_charge) as offence_to_charge, count(offence_to_charge) as offence_to_charge_known,
        median(charge_to_first_list) as charge_to_first_list, count(charge_to_first_list) as charge_to_first_list_known,
        median(first_list_to_completion) as first_list_to_completion,
        count(first_list_to_completion) as first_list_to_completion_known,
        median(offence_to_completion) as offence_to_completion, count(offence_to_completion) as offence_to_completion_known
    from journey_durations
    group by grouping sets ((area_name, period_start, court_type), (area_name, period_start))

),

warehouse_stages as (

    select *
    from warehouse_medians
    unpivot include nulls ((warehouse_value, known) for category in (
        {%- for stage in timeliness_stages %}
        ({{ stage }}, {{ stage }}_known) as '{{ stage }}'{{ ',' if not loop.last }}
        {%- endfor %}
    ))

),

published_stages as (

    select *
    from (
        select
            geography_name as area_name, quarter_start as period_start, court_type, defendants,
            {%- for stage in timeliness_stages %}
            coalesce(defendants_marker, median_{{ stage }}_marker) as {{ stage }}_marker,
            median_{{ stage }} as {{ stage }}{{ ',' if not loop.last }}
            {%- endfor %}
        from published_timeliness
    )
    unpivot include nulls ((published_value, published_marker) for category in (
        {%- for stage in timeliness_stages %}
        ({{ stage }}, {{ stage }}_marker) as '{{ stage }}'{{ ',' if not loop.last }}
        {%- endfor %}
    ))

),

timeliness_medians as (

    select
        'moj_timeliness_median' as series,
        'days' as unit,
        lcjb_keys.area_key as area_code,
        published_stages.area_name,
        'quarter' as period_type,
        published_stages.period_start,
        published_stages.court_type,
        published_stages.category,
        cast(warehouse_stages.warehouse_value as double) as warehouse_value,
        cast(published_stages.published_value as double) as published_value,
        cast(published_stages.defendants as double) as published_denominator,
        published_stages.published_marker,
        warehouse_stages.known / nullif(published_stages.defendants, 0) as coverage
    from published_stages
    inner join warehouse_stages
        on published_stages.area_name = warehouse_stages.area_name
        and published_stages.period_start = warehouse_stages.period_start
        and published_stages.court_type = warehouse_stages.court_type
        and published_stages.category = warehouse_stages.category
    inner join lcjb_keys
        on published_stages.area_name = lcjb_keys.area_name

),

-- MoJ trial effectiveness: trial listings per police force area, quarter and court type
warehouse_trials as (

    select
        area_code,
        cast(date_trunc('quarter', hearing_date) as date) as period_start,
        coalesce(case court_type when 'MC' then {{ mc }} when 'CC' then {{ cc }} end, {{ all_courts }}) as court_type,
        count(*) filter (where trial_effectiveness = 'effective') / count(*) as effective_rate
    from {{ ref('fct_court_hearings') }}
    where is_trial_listing
    group by grouping sets ((area_code, period_start, court_type), (area_code, period_start))

),

effective_trial_rates as (

    select
        'moj_effective_trial_rate' as series,
        'rate' as unit,
        published.area_code,
        published.geography_name as area_name,
        'quarter' as period_type,
        published.quarter_start as period_start,
        published.court_type,
        'effective' as category,
        warehouse_trials.effective_rate as warehouse_value,
        published.effective_rate as published_value,
        cast(published.effective + published.cracked + published.ineffective as double) as published_denominator,
        case when published.has_withheld_counts then 'withheld' end as published_marker,
        cast(null as double) as coverage
    from {{ ref('moj_trial_effectiveness_by_area_quarter') }} as published
    inner join warehouse_trials
        on published.area_code = warehouse_trials.area_code
        and published.quarter_start = warehouse_trials.period_start
        and published.court_type = warehouse_trials.court_type
    where published.geography_level = 'police_force_area'

),

comparisons as (

    select * from police_uk_crimes semi join crime_area_months using (area_code, period_start)
    union all by name
    select * from cps_outcomes semi join copoc_area_months on cps_outcomes.area_code = copoc_area_months.area_key
        and cps_outcomes.period_start = copoc_area_months.period_start
    union all by name
    select * from timeliness_medians
    union all by name
    select * from effective_trial_rates

),

with_tolerance as (

    select
        *,
        warehouse_value - published_value as difference,
        case unit
            when 'count' then greatest({{ var('external_accuracy_count_floor') }},
                {{ var('external_accuracy_count_sigmas') }} * sqrt(published_value))
            when 'rate' then greatest({{ var('external_accuracy_rate_floor') }},
                {{ var('external_accuracy_rate_sigmas') }}
                    * sqrt(published_value * (1 - published_value) / nullif(published_denominator, 0)))
            when 'days' then {{ var('external_accuracy_median_days_floor') }}
                + {{ var('external_accuracy_median_share') }} * published_value
        end as tolerance,
        case unit
            when 'count' then 'max({{ var("external_accuracy_count_floor") }}, {{ var("external_accuracy_count_sigmas") }} * sqrt(published))'
            when 'rate' then 'max({{ var("external_accuracy_rate_floor") }}, {{ var("external_accuracy_rate_sigmas") }} * sqrt(p * (1 - p) / published trials))'
            when 'days' then '{{ var("external_accuracy_median_days_floor") }} days + {{ var("external_accuracy_median_share") }} * published'
        end as tolerance_method
    from comparisons

)

select
    series,
    unit,
    area_code,
    area_name,
    period_type,
    period_start,
    court_type,
    category,
    warehouse_value,
    published_value,
    difference,
    tolerance,
    tolerance_method,
    case
        when published_marker is not null or published_value is null or warehouse_value is null then null
        when coverage < {{ var('external_accuracy_min_coverage') }} then null
        else abs(difference) <= tolerance
    end as within_tolerance,
    published_marker,
    coverage,
    case
        when published_marker is not null then 'published figure withheld or missing (' || published_marker || '): not compared'
        when published_value is null then 'no published figure: not compared'
        when warehouse_value is null then 'the warehouse has no figure: not compared'
        when coverage < {{ var('external_accuracy_min_coverage') }}
            then 'the warehouse has both dates for ' || round(100 * coverage) || '% of the published defendants: not compared'
    end as note
from with_tolerance
