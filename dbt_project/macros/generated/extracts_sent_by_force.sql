{#- Generated from pipelines/defs/ingest/specs/*.yaml (sender_column) by `cjs-scorecard dbt-sources`: do not
    edit by hand. The extracts each police force area sends on its own, and the column naming the force. -#}
{% macro extracts_sent_by_force() -%}
    {{ return({
        'pcc_public_confidence': 'force_name',
        'pcc_vcop_audit': 'force_name',
        'pcc_victim_referrals': 'force_name',
        'pcc_victim_survey': 'force_name',
        'police_arrests': 'force_name',
        'police_crimes': 'force_name',
        'police_live_caseload': 'force_name',
        'police_precharge': 'force_name',
        'police_stop_search': 'force_name',
    }) }}
{%- endmacro %}
