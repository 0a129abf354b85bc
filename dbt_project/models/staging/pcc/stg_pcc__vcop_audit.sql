{#- Victims' Code of Practice compliance audit: the cases (crimes with a victim) audited in the month, a sample of the
    previous month's victims, with each audited right met or not and the overall result. -#}
with source as (

    select * from {{ source('raw', 'pcc_vcop_audit') }}

),

force_aliases as (

    select force_name, area_code
    from {{ ref('ref_force_name_aliases') }}
    where covers_several_areas = 'N'

),

renamed as (

    select
        crime_reference,
        audit_date,
        cast(date_trunc('month', audit_date) as date) as audit_month,
        trim(force_name) as force_name,
        domestic_abuse = '1' as is_domestic_abuse,
        sexual_violence = '1' as is_sexual_violence,
        right_1_understood = 'Met' as is_right_1_understood_met,
        right_3_needs_assessment = 'Met' as is_right_3_needs_assessment_met,
        right_4_referral_offered = 'Met' as is_right_4_referral_offered_met,
        right_5_crime_reported = 'Met' as is_right_5_crime_reported_met,
        right_6_updates_provided = 'Met' as is_right_6_updates_provided_met,
        right_7_investigation_outcome = 'Met' as is_right_7_investigation_outcome_met,
        cast(right_1_understood = 'Met' as integer)
            + cast(right_3_needs_assessment = 'Met' as integer)
            + cast(right_4_referral_offered = 'Met' as integer)
            + cast(right_5_crime_reported = 'Met' as integer)
            + cast(right_6_updates_provided = 'Met' as integer)
            + cast(right_7_investigation_outcome = 'Met' as integer) as rights_met_count,
        overall_result = 'Compliant' as is_compliant,
        _reporting_month,
        _source_file,
        _line_number
    from source

),

audits_with_area as (

    select
        renamed.crime_reference,
        renamed.audit_date,
        renamed.audit_month,
        renamed.force_name,
        force_aliases.area_code,
        renamed.* exclude (crime_reference, audit_date, audit_month, force_name)
    from renamed
    left join force_aliases
        on renamed.force_name = force_aliases.force_name

)

select * from audits_with_area
