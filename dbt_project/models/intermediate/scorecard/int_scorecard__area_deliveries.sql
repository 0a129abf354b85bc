{#- The reporting months each extract has delivered for each police force area. An extract each force sends on its
    own (spec sender_column: police and PCC extracts) is delivered for a month only for the forces whose rows the
    month's delivery holds: real boards receive their forces' extracts on different days, and a force that has not
    sent its month yet must make its own figures (and its board's) not available, never a partial total. An extract
    one body sends for every area at once (a CPS Area, HMCTS, MoJ) is delivered for every area when its month is. -#}
{%- set sent_by_force = extracts_sent_by_force() %}
with extract_months as (

    select * from {{ ref('int_scorecard__extract_months') }}

),

force_areas as (

    select area_code from {{ ref('ref_police_force_areas') }}

),

-- the forces named in each delivery in force of an extract the forces send on their own
force_rows as (

    {%- for extract, column in sent_by_force.items() %}
    select distinct
        '{{ extract }}' as extract,
        {{ adapter.quote(column) }} as force_name,
        cast(_reporting_month || '-01' as date) as month_start
    from {{ source('raw', extract) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

force_deliveries as (

    select distinct
        force_rows.extract,
        {{ area_code_for_force('force_rows.force_name') }} as area_code,
        force_rows.month_start
    from force_rows
    inner join extract_months
        on force_rows.extract = extract_months.extract
        and force_rows.month_start = extract_months.month_start

),

whole_deliveries as (

    select extract_months.extract, force_areas.area_code, extract_months.month_start
    from extract_months
    cross join force_areas
    where extract_months.extract not in (
        {%- for extract in sent_by_force %}'{{ extract }}'{% if not loop.last %}, {% endif %}{% endfor -%}
    )

)

select * from force_deliveries where area_code is not null
union all
select * from whole_deliveries
