{#- Which reporting months each extract has delivered, with a fingerprint of the delivery in force. A figure for a month
    whose extract has not arrived is unknown (null), never zero: late data must show as a gap. The fingerprint (row
    count and the sum of the rows' hashes) changes when a month is delivered again with corrections, so the
    incremental models rebuild exactly the months whose delivery is new or changed. -#}
{%- set extracts = {
    'police_live_caseload': 'stg_police__live_caseload',
    'police_crimes': 'stg_police__crimes',
    'police_precharge': 'stg_police__precharge',
    'cps_precharge_decisions': 'stg_cps__precharge_decisions',
    'cps_finalisations': 'stg_cps__finalisations',
    'hmcts_mc_cases': 'stg_hmcts__mc_cases',
    'hmcts_cc_cases': 'stg_hmcts__cc_cases',
    'hmcts_outstanding': 'stg_hmcts__outstanding',
} %}
with deliveries as (

    {% for extract, model in extracts.items() %}
    select
        '{{ extract }}' as extract,
        _reporting_month as reporting_month,
        cast(_reporting_month || '-01' as date) as month_start,
        count(*) as delivered_rows,
        '{{ extract }}|' || _reporting_month || '|' || count(*) || '|' || sum(hash(staged)::hugeint)
            as delivery_fingerprint
    from {{ ref(model) }} as staged
    group by _reporting_month
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from deliveries
