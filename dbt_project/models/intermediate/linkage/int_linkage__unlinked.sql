{#- The records of each pair left without any link (neither URN nor probabilistic), with the reason (see
    int_linkage__unmatched). -#}
with unmatched as (

    select * from {{ ref('int_linkage__unmatched') }}

),

probabilistic_links as (

    {{ linked_records(source('linkage', 'probabilistic_links')) }}

),

unlinked as (

    select unmatched.*
    from unmatched
    anti join probabilistic_links
        using (pair_id, side, source, record_key)

)

select * from unlinked
