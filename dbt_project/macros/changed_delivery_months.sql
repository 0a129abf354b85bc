{% macro changed_delivery_months(deliveries) -%}
    {#- In an incremental model keyed by reporting month (delete+insert on _reporting_month): keep only the months
        whose delivery is new or changed since the model last ran, i.e. whose delivery fingerprint the model does not
        hold yet. A full build keeps every month. `deliveries` is int_extract_deliveries filtered to the extract. -#}
    {%- if is_incremental() %}
    where _reporting_month in (
        select reporting_month from {{ deliveries }}
        where delivery_fingerprint not in (select distinct _delivery_fingerprint from {{ this }})
    )
    {%- endif %}
{%- endmacro %}
