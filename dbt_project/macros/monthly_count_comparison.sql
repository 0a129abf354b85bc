{% macro monthly_count_comparison(warehouse, published, area_column, series, join_columns) -%}
    {#- One monthly count series of external_accuracy: the warehouse's counts beside the published ones for the same
        area, month and category (a side with no row counts 0), in external_accuracy's columns. `series` is an SQL
        expression; `join_columns` are the columns both sides share beside `area_column`. -#}
    select
        {{ series }} as series,
        'count' as unit,
        coalesce({{ warehouse }}.{{ area_column }}, {{ published }}.{{ area_column }}) as area_code,
        {{ published }}.area_name,
        'month' as period_type,
        coalesce({{ warehouse }}.period_start, {{ published }}.period_start) as period_start,
        cast(null as varchar) as court_type,
        coalesce({{ warehouse }}.category, {{ published }}.category) as category,
        cast(coalesce({{ warehouse }}.warehouse_value, 0) as double) as warehouse_value,
        cast(coalesce({{ published }}.published_value, 0) as double) as published_value,
        cast(null as double) as published_denominator,
        cast(null as varchar) as published_marker,
        cast(null as double) as coverage
    from {{ warehouse }}
    full join {{ published }}
        on {{ warehouse }}.{{ area_column }} = {{ published }}.{{ area_column }}
        {%- for column in join_columns %}
        and {{ warehouse }}.{{ column }} = {{ published }}.{{ column }}
        {%- endfor %}
{%- endmacro %}
