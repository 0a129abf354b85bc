with source as (

    select * from {{ source('raw', 'hmcts_hearings') }}

),

renamed as (

    select
        case court_type when 'Crown Court' then 'CC' else 'MC' end as court_type,
        court_code,
        court_name,
        hearing_date,
        case_number,
        {{ normalise_urn('urn') }} as urn_key,
        case hearing_type
            when 'First hearing' then 'first_hearing'
            when 'Plea and trial preparation hearing' then 'ptph'
            when 'Case management / mention' then 'mention'
            when 'Trial' then 'trial'
            when 'Sentence' then 'sentence'
        end as hearing_type,
        hearing_number,
        video_enabled = 'Yes' as is_video_enabled,
        case trial_effectiveness
            when '1: Effective trials' then 'effective'
            when '2: Cracked trials' then 'cracked'
            when '3: Ineffective trials' then 'ineffective'
        end as trial_effectiveness,
        reason as trial_reason,
        _reporting_month,
        _source_file,
        _line_number
    from source

)

select * from renamed
