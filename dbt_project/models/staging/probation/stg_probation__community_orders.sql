{#- Community and suspended sentence orders made in the month. The probation extract places an order by its PDU,
    named `<force> PDU`: the force name before " PDU" is resolved to the ONS police force area through the publishers'
    spellings (ref_force_name_aliases, spellings that stand for one area only). An unresolved PDU keeps its row with
    an empty area_code, which the not_null test reports. -#}
with source as (

    select * from {{ source('raw', 'probation_community_orders') }}

),

force_aliases as (

    select force_name, area_code
    from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

renamed as (

    select
        crn as offender_key,
        date_of_birth as offender_dob_key,
        trim(probation_region) as probation_region,
        trim(pdu) as pdu,
        trim(regexp_replace(trim(pdu), '\s+PDU$', '')) as pdu_force_name,
        case gender when 'Male' then 'male' when 'Female' then 'female' end as gender,
        sentence_date,
        cast(date_trunc('month', sentence_date) as date) as sentence_month,
        case order_type
            when 'Community Order' then 'community_order'
            when 'Suspended Sentence Order' then 'suspended_sentence_order'
        end as order_type,
        case sentencing_court
            when 'Magistrates'' Court' then 'MC'
            when 'Crown Court' then 'CC'
        end as sentencing_court,
        length_months,
        requirement_count,
        upw_hours,
        rar_days,
        mhtr = 'Y' as has_mhtr,
        drr = 'Y' as has_drr,
        atr = 'Y' as has_atr,
        curfew = 'Y' as has_curfew,
        main_offence,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

orders_with_area as (

    select
        renamed.offender_key,
        renamed.sentence_date,
        renamed.sentence_month,
        force_aliases.area_code,
        renamed.* exclude (offender_key, sentence_date, sentence_month)
    from renamed
    left join force_aliases
        on renamed.pdu_force_name = force_aliases.force_name

)

select * from orders_with_area
