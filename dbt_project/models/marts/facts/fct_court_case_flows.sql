{#- One row per HMCTS receipt or disposal (magistrates' courts and the Crown Court; a case per defendant), dated by the
    first listing (MC receipt), the receipt at the Crown Court (CC receipt) or the disposal, in the police force area
    its court serves (int_hmcts_case_flows), with the number of hearings the case had in the magistrates' court on
    MC disposal rows. An MC disposal includes sending to the Crown Court. -#}
with case_flows as (

    select * from {{ ref('int_hmcts_case_flows') }}

),

mc_cases as (

    select case_number, record_type, hearing_count from {{ ref('stg_hmcts__mc_cases') }}

)

select
    case_flows.area_code,
    case_flows.event_date,
    case_flows.court_type,
    case_flows.court_code,
    case_flows.case_number,
    case_flows.record_type,
    case_flows.record_type = 'receipt' as is_receipt,
    case_flows.record_type = 'disposal' as is_disposal,
    case_flows.disposal_type,
    coalesce(case_flows.is_sent_to_crown_court, false) as is_sent_to_crown_court,
    case_flows.record_type = 'disposal' and not coalesce(case_flows.is_sent_to_crown_court, false) as is_finalised,
    case when case_flows.record_type = 'disposal' then mc_cases.hearing_count end as hearing_count
from case_flows
left join mc_cases
    on case_flows.court_type = 'MC'
    and case_flows.case_number = mc_cases.case_number
    and case_flows.record_type = mc_cases.record_type
