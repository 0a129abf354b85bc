{#- The steps of disclosure control shared by the scorecard figures (int_scorecard__disclosure) and their breakdowns
    (int_scorecard__breakdown_disclosure): the same rules over different groupings (the areas of a board, the
    categories of a breakdown). -#}

{% macro is_small_figure(unit, value, denominator) -%}
    {#- Primary suppression: a count from 1 to var('disclosure_count_threshold'), or a rate, mean or ratio on a
        denominator under var('disclosure_min_denominator'). -#}
    ({{ value }} is not null and (
        ({{ unit }} = 'count' and {{ value }} between 1 and {{ var('disclosure_count_threshold') }})
        or ({{ unit }} <> 'count' and {{ denominator }} < {{ var('disclosure_min_denominator') }})
    ))
{%- endmacro %}

{% macro complement_suppression(relation, group_columns, member_column, where='true') -%}
    {#- Within each group whose members add up to a published total, when exactly one member is withheld the total
        minus the others would give it away: the smallest other non-empty member is withheld too (`is_complement`).
        Reads `value` and `is_suppressed` from `relation`. -#}
    select
        {{ group_columns | join(', ') }},
        {{ member_column }},
        count(*) filter (where is_suppressed) over by_group = 1
            and not is_suppressed
            and value is not null
            and row_number() over (
                partition by {{ group_columns | join(', ') }}, is_suppressed
                order by value is null, value = 0, value, {{ member_column }}
            ) = 1 as is_complement
    from {{ relation }}
    where {{ where }}
    window by_group as (partition by {{ group_columns | join(', ') }})
{%- endmacro %}

{% macro with_complements(relation, complements, key_columns) -%}
    {#- `relation` with its complements (from complement_suppression) withheld as well. -#}
    select
        {{ relation }}.* exclude (is_suppressed),
        {{ relation }}.is_suppressed or coalesce({{ complements }}.is_complement, false) as is_suppressed
    from {{ relation }}
    left join {{ complements }} using ({{ key_columns | join(', ') }})
{%- endmacro %}

{% macro with_withheld_months(relation, series_columns) -%}
    {#- A quarter or rolling year of an in-period measure is withheld when any of its months is: the sum of its months
        minus the published ones would give the withheld month away. `series_columns` name one monthly series. -#}
    select
        {{ relation }}.* exclude (is_suppressed),
        {{ relation }}.is_suppressed or (
            {{ relation }}.period_type <> 'month' and {{ relation }}.counting_basis = 'in_period' and exists (
                select 1
                from {{ relation }} as months
                where months.period_type = 'month' and months.is_suppressed and months.counting_basis = 'in_period'
                    {%- for column in series_columns %}
                    and months.{{ column }} = {{ relation }}.{{ column }}
                    {%- endfor %}
                    and months.period_start between {{ relation }}.period_start and {{ relation }}.period_end
            )
        ) as is_suppressed
    from {{ relation }}
{%- endmacro %}

{% macro suppression_outcome() -%}
    {#- A figure's disclosure outcome: withheld or not (an empty figure has nothing to withhold), and why
        (primary: small itself; secondary: withheld so that a small one cannot be worked out). -#}
    value is not null and is_suppressed as is_suppressed,
        case
            when value is null then null
            when is_primary then 'primary'
            when is_suppressed then 'secondary'
        end as suppression
{%- endmacro %}
