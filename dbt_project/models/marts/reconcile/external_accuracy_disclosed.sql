{{ config(tags=['after_probabilistic_linkage']) }}
{#- The external accuracy table as BI users see it (published as scorecard.external_accuracy). The agencies' own
    figures are public already; ours are computed from unsuppressed extracts, so a small count of ours that differs
    from the published one (a figure nobody has published) is withheld with the difference, as the scorecard
    withholds small counts (var disclosure_count_threshold). Whether it is within tolerance stays shown. -#}
with comparisons as (

    select * from {{ ref('external_accuracy') }}

),

disclosure as (

    select
        *,
        unit = 'count'
            and warehouse_value between 1 and {{ var('disclosure_count_threshold') }}
            and warehouse_value is distinct from published_value as is_withheld
    from comparisons

)

select
    * exclude (warehouse_value, difference, note, is_withheld),
    case when is_withheld then null else warehouse_value end as warehouse_value,
    case when is_withheld then null else difference end as difference,
    case
        when is_withheld then concat_ws('; ', note, 'our figure withheld: a small count that differs from the published one')
        else note
    end as note
from disclosure
