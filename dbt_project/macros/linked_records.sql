{#- Both ends of every link in `relation` (one row per pair, left_* and right_* columns) as records:
    pair_id, side, source, record_key (plus any `extra_columns` the links carry). The linkage models compare records
    on these four columns. -#}
{% macro linked_records(relation, extra_columns=[]) -%}
    {%- set extra = (', ' ~ extra_columns | join(', ')) if extra_columns else '' -%}
    select pair_id, 'left' as side, left_source as source, left_record_key as record_key{{ extra }}
    from {{ relation }}
    union
    select pair_id, 'right' as side, right_source as source, right_record_key as record_key{{ extra }}
    from {{ relation }}
{%- endmacro %}
