{#- The status reason a published figure carries: why disclosure control withheld it, else its own reason. -#}
{% macro withheld_reason(suppression, otherwise) -%}
case
        when {{ suppression }} = 'primary' then 'withheld: small number (disclosure control)'
        when {{ suppression }} = 'secondary'
            then 'withheld: would reveal a withheld figure through a total (disclosure control)'
        else {{ otherwise }}
    end
{%- endmacro %}
