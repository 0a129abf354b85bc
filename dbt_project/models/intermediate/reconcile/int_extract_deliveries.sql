{#- Which reporting months each extract has delivered. A figure for a month whose extract has not arrived is unknown
    (null), never zero: late data must show as a gap. -#}
{%- set extracts = {
    'police_live_caseload': 'stg_police__live_caseload',
    'cps_finalisations': 'stg_cps__finalisations',
    'hmcts_mc_cases': 'stg_hmcts__mc_cases',
    'hmcts_cc_cases': 'stg_hmcts__cc_cases',
    'hmcts_outstanding': 'stg_hmcts__outstanding',
} %}
with deliveries as (

    {% for extract, model in extracts.items() %}
    select distinct '{{ extract }}' as extract, cast(_reporting_month || '-01' as date) as month_start
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from deliveries
