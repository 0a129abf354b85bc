{#- The combination of columns is unique: the test dbt_utils offers, written here because dbt packages cannot be fetched on these machines. -#}
{% test unique_combination_of_columns(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
