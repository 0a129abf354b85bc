with source as (

    select * from {{ source('raw', 'cps_finalisations') }}

),

renamed as (

    select
        cps_area,
        trim(police_force) as force_name,
        {{ normalise_urn('urn') }} as urn_key,
        defendant_id as defendant_key,
        defendant_dob as defendant_dob_key,
        defendant_person_key,
        case court_type when 'Magistrates Court' then 'MC' when 'Crown Court' then 'CC' end as court_type,
        finalisation_date,
        case outcome
            when 'Conviction - guilty plea' then 'guilty_plea'
            when 'Conviction after trial' then 'convicted_after_trial'
            when 'Proof in absence' then 'proof_in_absence'
            when 'Acquittal / dismissal' then 'acquittal_dismissal'
            when 'Discontinued / withdrawn' then 'discontinued_withdrawn'
            when 'Administratively finalised' then 'administratively_finalised'
        end as outcome,
        outcome_category = 'Conviction' as is_conviction,
        unsuccessful_reason,
        unsuccessful_reason in ('Victim retraction', 'Victim non-attendance', 'Victim evidence does not support case')
            as is_victim_issue,
        principal_offence_category,
        domestic_abuse_flag = '1' as is_domestic_abuse,
        hate_crime_flag = '1' as is_hate_crime,
        rasso_flag = '1' as is_rasso,
        number_of_charges,
        guilty_plea_first_hearing = '1' as is_guilty_plea_at_first_hearing,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
