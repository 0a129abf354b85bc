{#- Use the layer's schema name as written (staging, intermediate, scorecard), not dbt's "<target>_<custom>" default,
    so BI users and analysts see stable schema names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
