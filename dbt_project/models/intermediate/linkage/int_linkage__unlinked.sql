{#- The records of each pair left without any link (neither URN nor probabilistic), with the reason (see
    int_linkage__unmatched). -#}
with unmatched as (

    select * from {{ ref('int_linkage__unmatched') }}

),

probabilistic_links as (

    select pair_id, 'left' as side, left_source as source, left_record_key as record_key
    from {{ source('linkage', 'probabilistic_links') }}
    union
    select pair_id, 'right', right_source, right_record_key
    from {{ source('linkage', 'probabilistic_links') }}

),

unlinked as (

    select unmatched.*
    from unmatched
    anti join probabilistic_links
        on unmatched.pair_id = probabilistic_links.pair_id
        and unmatched.side = probabilistic_links.side
        and unmatched.source = probabilistic_links.source
        and unmatched.record_key = probabilistic_links.record_key

)

select * from unlinked
