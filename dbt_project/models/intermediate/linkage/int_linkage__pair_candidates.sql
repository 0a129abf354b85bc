{#- Each agency pair's candidate records, one row per pair, side and record. link_date is the date the counterpart's
    own record should carry (null while the event that creates it has not happened yet, e.g. an MC case not yet
    disposed has no CPS finalisation to find); counterpart_direction says whether the counterpart comes after this
    record, before it, or on the same day. The pairs:
      police-hmcts_mc   police charged crime-suspect (charge date) <-> MC case (first listing): case level (URN)
      police-cps        police charged crime-suspect (charge date) <-> CPS finalisation: case level (URN)
      cps-hmcts         CPS finalisation <-> the HMCTS record of the court that finalised it (MC disposal not sent
                        to the Crown Court, or CC disposal): defendant level (URN and date of birth)
      hmcts_mc-hmcts_cc MC case sent to the Crown Court <-> CC case (sending = CC receipt): defendant level
    Police records carry no date of birth (dropped at ingest), so a police record is linked to the case (URN),
    not to one defendant. -#}
{%- set window_days = {'police-hmcts_mc': 90, 'police-cps': 365, 'cps-hmcts': 31, 'hmcts_mc-hmcts_cc': 31} -%}
{%- do window_days.update(var('linkage_counterpart_window_days', {})) -%}
with records as (

    select * from {{ ref('int_linkage__records') }}

),

police_hmcts_mc as (

    select
        'police-hmcts_mc' as pair_id, 'left' as side, false as is_person_level, 'after' as counterpart_direction,
        records.*, charge_date as link_date
    from records where source = 'police_charges'
    union all
    select
        'police-hmcts_mc', 'right', false, 'before',
        records.*, first_court_date
    from records where source = 'hmcts_mc_cases'

),

police_cps as (

    select
        'police-cps' as pair_id, 'left' as side, false as is_person_level, 'after' as counterpart_direction,
        records.*, charge_date as link_date
    from records where source = 'police_charges'
    union all
    select
        'police-cps', 'right', false, 'before',
        records.*, disposal_date
    from records where source = 'cps_finalisations'

),

cps_hmcts as (

    select
        'cps-hmcts' as pair_id, 'left' as side, true as is_person_level, 'same' as counterpart_direction,
        records.*, disposal_date as link_date
    from records where source = 'cps_finalisations'
    union all
    select
        'cps-hmcts', 'right', true, 'same',
        records.*, disposal_date
    from records
    where source = 'hmcts_cc_cases'
        or (source = 'hmcts_mc_cases' and coalesce(disposal_type, '') <> 'sent_to_crown_court')

),

hmcts_mc_hmcts_cc as (

    select
        'hmcts_mc-hmcts_cc' as pair_id, 'left' as side, true as is_person_level, 'same' as counterpart_direction,
        records.*, disposal_date as link_date
    from records
    where source = 'hmcts_mc_cases' and (disposal_type = 'sent_to_crown_court' or disposal_type is null)
    union all
    select
        'hmcts_mc-hmcts_cc', 'right', true, 'same',
        records.*, first_court_date
    from records where source = 'hmcts_cc_cases'

),

pair_records as (

    select * from police_hmcts_mc
    union all
    select * from police_cps
    union all
    select * from cps_hmcts
    union all
    select * from hmcts_mc_hmcts_cc

),

months_loaded as (

    select
        pair_id,
        side,
        cast(strptime(min(first_reporting_month), '%Y-%m') as date) as data_start,
        cast(last_day(strptime(max(last_reporting_month), '%Y-%m')) as date) as data_end
    from pair_records
    group by pair_id, side

),

candidates as (

    select
        pair_records.pair_id,
        pair_records.side,
        pair_records.agency,
        pair_records.source,
        pair_records.record_key,
        pair_records.is_person_level,
        pair_records.urn_key,
        pair_records.urn_keys,
        pair_records.has_urn,
        pair_records.has_well_formed_urn,
        pair_records.dob_key,
        pair_records.area_code,
        pair_records.offence,
        pair_records.court_type,
        pair_records.link_date,
        pair_records.first_reporting_month,
        pair_records.counterpart_direction,
        counterpart.data_start as counterpart_data_start,
        counterpart.data_end as counterpart_data_end,
        case pair_records.pair_id
            when 'police-hmcts_mc' then {{ window_days['police-hmcts_mc'] | int }}
            when 'police-cps' then {{ window_days['police-cps'] | int }}
            when 'cps-hmcts' then {{ window_days['cps-hmcts'] | int }}
            when 'hmcts_mc-hmcts_cc' then {{ window_days['hmcts_mc-hmcts_cc'] | int }}
        end as counterpart_window_days
    from pair_records
    inner join months_loaded as counterpart
        on pair_records.pair_id = counterpart.pair_id and pair_records.side <> counterpart.side

)

select * from candidates
