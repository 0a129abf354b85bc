{#- No small count of ours that the agency has not published reaches the published comparison table. -#}
{{ config(tags=['after_probabilistic_linkage']) }}
select *
from {{ ref('external_accuracy_disclosed') }}
where unit = 'count'
    and warehouse_value between 1 and {{ var('disclosure_count_threshold') }}
    and warehouse_value is distinct from published_value
