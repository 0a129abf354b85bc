{#- The stock-flow identity row by row: the published residual is closing - (opening + inflow - outflow), and it is
    empty exactly when one of the four is (a month whose extract is missing shows as a gap, never as a residual). -#}
{% test stock_flow_identity(model, opening, inflow, outflow, closing, residual) %}

select *
from {{ model }}
where ({{ residual }} is null) <> (
        {{ opening }} is null or {{ inflow }} is null or {{ outflow }} is null or {{ closing }} is null
    )
    or {{ residual }} <> {{ closing }} - ({{ opening }} + {{ inflow }} - {{ outflow }})

{% endtest %}
