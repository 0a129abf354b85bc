{#- Every HMCTS receipt and disposal as one row, in the police force area its court serves. -#}
with mc_cases as (

    select * from {{ ref('stg_hmcts__mc_cases') }}

),

cc_cases as (

    select * from {{ ref('stg_hmcts__cc_cases') }}

),

court_centres as (

    select * from {{ ref('ref_court_centres') }}

),

disposal_types as (

    select * from {{ ref('ref_hmcts_disposal_types') }}

),

court_records as (

    select
        'MC' as court_type,
        court_code,
        case_number,
        urn_key,
        record_type,
        case record_type when 'receipt' then first_listing_date else disposal_date end as event_date,
        disposal_type
    from mc_cases

    union all

    select
        'CC' as court_type,
        court_code,
        case_number,
        urn_key,
        record_type,
        case record_type when 'receipt' then receipt_date else disposal_date end as event_date,
        disposal_type
    from cc_cases

),

court_records_with_area as (

    select
        court_centres.area_code,
        court_records.*,
        coalesce(disposal_types.disposal_group = 'sent_to_crown_court', false) as is_sent_to_crown_court,
        cast(date_trunc('month', court_records.event_date) as date) as event_month
    from court_records
    left join court_centres
        on court_records.court_type = court_centres.court_type
        and court_records.court_code = court_centres.court_code
    left join disposal_types
        on court_records.court_type = disposal_types.court_type
        and court_records.disposal_type = disposal_types.disposal_type

)

select * from court_records_with_area
