{#- Every link between two agencies' records of one prosecution: URN matches (match_probability 1) and probabilistic
    links (Splink) for the defendant-level pairs whose records had no URN match. -#}
with urn_links as (

    select
        pair_id,
        left_source,
        left_record_key,
        right_source,
        right_record_key,
        'urn' as method,
        1.0::double as match_probability
    from {{ ref('int_linkage__urn_matches') }}

),

probabilistic_links as (

    select
        pair_id,
        left_source,
        left_record_key,
        right_source,
        right_record_key,
        'probabilistic' as method,
        match_probability::double as match_probability
    from {{ source('linkage', 'probabilistic_links') }}

),

case_links as (

    select * from urn_links
    union all
    select * from probabilistic_links

)

select * from case_links
