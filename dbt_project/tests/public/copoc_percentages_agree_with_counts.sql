{#- CPS COPOC internal consistency: a published percentage is the count over the category's finalisations
    (convictions + unsuccessful) to one decimal (within half a unit of the last decimal); with no finalisations it is
    not applicable, never a number. Admin finalised is its own denominator (100.0). Returns the rows that disagree. -#}
with outcomes as (

    select * from {{ ref('stg_public__cps_copoc_outcomes') }}

),

finalised as (

    select finalised_month, area_name, offence_category, sum(defendants) as finalised
    from outcomes
    where measure in ('convictions', 'unsuccessful')
    group by all

),

expected as (

    select
        outcomes.*,
        case when outcomes.measure = 'admin_finalised' then outcomes.defendants else finalised.finalised end as denominator
    from outcomes
    left join finalised using (finalised_month, area_name, offence_category)

)

select *
from expected
where case
    when denominator = 0 then percentage is not null or percentage_marker is distinct from 'not_applicable'
    else percentage is null or abs(percentage - 100.0 * defendants / denominator) > 0.05 + 1e-9
end
