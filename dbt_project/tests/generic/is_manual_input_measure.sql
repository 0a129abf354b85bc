{#- Every row names a measure that some scorecard lists with availability manual_input (stg_definitions__measures):
    a manual value for a computed or not-available measure, or for an unknown id, is refused. Failing rows are shown
    with their file and line. -#}
{% test is_manual_input_measure(model, column_name) %}
select {{ column_name }}, _source_file, _line_number
from {{ model }}
where {{ column_name }} not in (
    select measure_id from {{ ref('stg_definitions__measures') }} where availability = 'manual_input'
)
{% endtest %}
