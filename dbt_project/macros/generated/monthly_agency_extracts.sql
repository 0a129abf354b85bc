{#- Generated from pipelines/defs/ingest/specs/*.yaml (cadence, expected_delivery_day) by `cjs-scorecard
    dbt-sources`: do not edit by hand. The agency extracts a board waits for every month, each with its agency and
    the day of the following month its file is due. -#}
{% macro monthly_agency_extracts() -%}
    {{ return({
        'cps_finalisations': {'agency': 'cps', 'expected_delivery_day': 10},
        'cps_precharge_decisions': {'agency': 'cps', 'expected_delivery_day': 10},
        'hmcts_cc_cases': {'agency': 'hmcts', 'expected_delivery_day': 10},
        'hmcts_hearings': {'agency': 'hmcts', 'expected_delivery_day': 10},
        'hmcts_mc_cases': {'agency': 'hmcts', 'expected_delivery_day': 10},
        'hmcts_outstanding': {'agency': 'hmcts', 'expected_delivery_day': 10},
        'pcc_public_confidence': {'agency': 'pcc', 'expected_delivery_day': 10},
        'pcc_vcop_audit': {'agency': 'pcc', 'expected_delivery_day': 10},
        'pcc_victim_referrals': {'agency': 'pcc', 'expected_delivery_day': 10},
        'pcc_victim_survey': {'agency': 'pcc', 'expected_delivery_day': 10},
        'police_arrests': {'agency': 'police', 'expected_delivery_day': 10},
        'police_crimes': {'agency': 'police', 'expected_delivery_day': 10},
        'police_live_caseload': {'agency': 'police', 'expected_delivery_day': 10},
        'police_precharge': {'agency': 'police', 'expected_delivery_day': 10},
        'police_stop_search': {'agency': 'police', 'expected_delivery_day': 10},
        'probation_community_orders': {'agency': 'probation', 'expected_delivery_day': 10},
    }) }}
{%- endmacro %}
