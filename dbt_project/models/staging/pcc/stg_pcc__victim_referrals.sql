{#- Referrals of victims to support services made in the month, one row per referral (a victim referred to two
    services has two rows). The police force area, as the ONS names it, is resolved to its ONS code. -#}
with source as (

    select * from {{ source('raw', 'pcc_victim_referrals') }}

),

force_aliases as (

    select force_name, area_code
    from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

renamed as (

    select
        referral_id,
        referral_date,
        cast(date_trunc('month', referral_date) as date) as referral_month,
        service,
        case referral_source
            when 'Police' then 'police'
            when 'Self' then 'self'
            when 'Other agency' then 'other_agency'
        end as referral_source,
        crime_reference,
        trim(force_name) as force_name,
        victim_sex,
        victim_age,
        victim_ethnicity as victim_ethnicity_code,
        domestic_abuse = '1' as is_domestic_abuse,
        sexual_violence = '1' as is_sexual_violence,
        case referral_outcome
            when 'Support accepted' then 'support_accepted'
            when 'Support declined' then 'support_declined'
            when 'Unable to contact' then 'unable_to_contact'
        end as referral_outcome,
        referral_outcome = 'Support accepted' as is_support_accepted,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

referrals_with_area as (

    select
        renamed.referral_id,
        renamed.referral_date,
        renamed.referral_month,
        renamed.service,
        renamed.referral_source,
        renamed.crime_reference,
        renamed.force_name,
        force_aliases.area_code,
        renamed.* exclude (referral_id, referral_date, referral_month, service, referral_source, crime_reference, force_name)
    from renamed
    left join force_aliases
        on renamed.force_name = force_aliases.force_name

)

select * from referrals_with_area
