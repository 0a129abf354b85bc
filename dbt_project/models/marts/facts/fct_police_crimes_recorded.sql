{#- One row per crime recorded by the police, dated by its recorded date (police crimes extract, New records). -#}
with crimes as (

    select * from {{ ref('stg_police__crimes') }}
    where is_new_record

)

select
    {{ area_code_for_force('crimes.force_name', "split_part(crimes.crime_reference, '/', 1)") }} as area_code,
    crime_reference,
    recorded_date,
    offence_code,
    offence_group,
    is_domestic_abuse,
    is_rasso,
    is_hate_crime,
    victim_sex is not null as has_victim,
    victim_sex,
    victim_ethnicity_code
from crimes
