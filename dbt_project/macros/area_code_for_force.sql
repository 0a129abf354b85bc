{#- The ONS police force area code of a row: from the force as the publisher spells it (ref_force_name_aliases),
    else from the force number that starts its crime reference or URN, for spellings that cover several areas
    (the CPS's "Metropolitan and City"). -#}
{% macro area_code_for_force(force_name, force_number=none) -%}
coalesce(
        (
            select aliases.area_code
            from {{ ref('ref_force_name_aliases') }} as aliases
            where aliases.force_name = {{ force_name }} and aliases.covers_several_areas = 'N'
        )
        {%- if force_number %},
        (
            select force_areas.area_code
            from {{ ref('ref_police_force_areas') }} as force_areas
            where force_areas.force_number = {{ force_number }}
        )
        {%- endif %}
    )
{%- endmacro %}
