{#- A URN as a join key: letters and digits only, upper case. The police write 54SW0012324, the CPS 54 SW 00123 24,
    HMCTS 54SW00123/24: all become 54SW0012324. -#}
{% macro normalise_urn(column) -%}
    nullif(upper(regexp_replace({{ column }}, '[^A-Za-z0-9]', '', 'g')), '')
{%- endmacro %}
