{#- The scorecard engine: one aggregate query per measure part (stg_definitions__measure_parts), unioned.

    Each part is computed over its fact model for every reporting unit (area, board, England and Wales) and period
    the measure is published for: rows dated in the period (window event), rows of the snapshot taken at the
    period's end (window snapshot), or the cohort quarters of the model (window cohort). Boards and the nation are
    recomputed from the rows of their areas, so a rate is never an average of rates.

    The parts are read when the model runs (run_query), so a measure added in YAML needs no SQL. Every model a part
    may read is in var('measure_fact_models'), declared as a dependency by the calling model.

    A distinct count of a key each force issues (key_scope area: suspect IDs, crime references) counts (area, key)
    pairs, so a board or England and Wales never merges two forces' people; a national key (a hash of name and date of
    birth) counts once wherever it appears.

    With by_category, each part row also names a breakdown (a column of the fact model) and the aggregates are
    computed per category of it as well (columns breakdown and category). A part with per_1000_residents is divided
    by the unit's residents of that group (population_relation) / 1,000. -#}
{% macro measure_amounts(parts_relation, units_relation, periods_relation, population_relation, by_category=false) %}
    {%- set parts = measure_amount_parts(parts_relation) -%}
    {%- if parts | length == 0 %}
    select
        cast(null as varchar) as measure_id,
        cast(null as varchar) as part,
        cast(null as varchar) as unit_code,
        cast(null as varchar) as period_type,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        {%- if by_category %}
        cast(null as varchar) as breakdown,
        cast(null as varchar) as category,
        {%- endif %}
        cast(null as double) as amount
    where false
    {%- endif %}
    {%- for part in parts %}
    {%- set facts %}(select * from {{ ref(part['model']) }} where {{ part['filter_sql'] }}){% endset %}
    {%- if by_category %}
        {%- set category_columns = "'" ~ part['breakdown'] ~ "' as breakdown, coalesce(cast(facts." ~ adapter.quote(part['breakdown']) ~ " as varchar), 'unknown') as category," %}
        {%- set category_inner = "coalesce(cast(facts." ~ adapter.quote(part['breakdown']) ~ " as varchar), 'unknown') as category," %}
        {%- set category_outer = "'" ~ part['breakdown'] ~ "' as breakdown, category," %}
    {%- else %}
        {%- set category_columns, category_inner, category_outer = '', '', '' %}
    {%- endif %}
    {%- set column = adapter.quote(part['column_name']) if part['column_name'] else none %}
    {#- a key each force issues is a different key in each area: counted as (area, key), so two forces' P00000001
        are two people on a board; a null key is no one (the concatenation is null) -#}
    {%- set area_scoped = part['aggregate'] == 'count_distinct' and part['key_scope'] == 'area' %}
    {%- set distinct_key = ("facts.area_code || '|' || cast(facts." ~ column ~ " as varchar)") if area_scoped else ('facts.' ~ column) %}
    {%- if part['aggregate'] == 'count' -%}
        {%- set amount = 'count(' ~ (('facts.' ~ column) if column else '*') ~ ')' -%}
    {%- elif part['aggregate'] == 'count_distinct' and part['min_events'] == 1 -%}
        {%- set amount = 'count(distinct ' ~ distinct_key ~ ')' -%}
    {%- elif part['aggregate'] == 'count_distinct' -%}
        {%- set amount = 'count(*)' -%}
    {%- else -%}
        {%- set amount = part['aggregate'] ~ '(facts.' ~ column ~ ')' -%}
    {%- endif %}
    {%- if part['per_1000_residents'] %}
        {%- set amount = amount ~ ' / any_value(population.residents) * 1000' %}
        {%- set population_join -%}
        inner join {{ population_relation }} as population
            on units.unit_code = population.unit_code
            and population.population_group = '{{ part['per_1000_residents'] }}'
        {%- endset %}
    {%- else %}
        {%- set population_join = '' %}
    {%- endif %}
    {%- if part['measure_window'] == 'cohort' %}
        {%- set period_join -%}
        inner join (select 'quarter' as period_type) as periods on true
        {%- endset %}
        {%- set period_start, period_end = 'facts.cohort_start', 'facts.cohort_end' %}
    {%- else %}
        {%- set date_column = 'facts.' ~ adapter.quote(part['date_column']) %}
        {%- set period_join -%}
        inner join {{ periods_relation }} as periods
            on {% if part['measure_window'] == 'snapshot' -%}
            {{ date_column }} = periods.period_end
            {%- else -%}
            {{ date_column }} between periods.period_start and periods.period_end
            {%- endif %}
            and list_contains(string_split({{ "'" ~ part['period_types'] ~ "'" }}, ','), periods.period_type)
        {%- endset %}
        {%- set period_start, period_end = 'periods.period_start', 'periods.period_end' %}
    {%- endif %}
    {%- set grouped_rows %}
        from {{ facts }} as facts
        inner join {{ units_relation }} as units
            on facts.area_code = units.area_code
        {{ period_join }}
        {{ population_join }}
    {%- endset %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    {%- if part['aggregate'] == 'count_distinct' and part['min_events'] > 1 %}
    select '{{ part['measure_id'] }}' as measure_id, '{{ part['part'] }}' as part, unit_code, period_type,
        period_start, period_end, {{ category_outer }} cast(count(*) as double) as amount
    from (
        select units.unit_code, periods.period_type, {{ period_start }} as period_start, {{ period_end }} as period_end,
            {{ category_inner }} {{ distinct_key }} as distinct_key
        {{ grouped_rows }}
        where {{ distinct_key }} is not null
        group by all
        having count(*) >= {{ part['min_events'] }}
    )
    group by all
    {%- else %}
    select '{{ part['measure_id'] }}' as measure_id, '{{ part['part'] }}' as part, units.unit_code, periods.period_type,
        {{ period_start }} as period_start, {{ period_end }} as period_end, {{ category_columns }}
        cast({{ amount }} as double) as amount
    {{ grouped_rows }}
    group by all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- The measure parts the engine computes (one row per part, as stg_definitions__measure_parts, with the measure's
    period_types and, by category, the breakdown), read when the model runs; none while dbt parses. A macro of its own
    so that a dbt unit test can give the parts (overrides: macros: measure_amount_parts): a unit test's inputs are
    CTEs of the test's query, which a query run while compiling cannot read. -#}
{% macro measure_amount_parts(parts_relation) %}
    {%- if execute -%}
        {{ return(run_query("select * from " ~ parts_relation ~ " order by all")) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{% endmacro %}
