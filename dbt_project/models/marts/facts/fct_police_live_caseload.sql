{#- One row per live-caseload row (crime-suspect) in the police snapshot at the end of each month. -#}
with caseload as (

    select * from {{ ref('stg_police__live_caseload') }}

)

select
    {{ area_code_for_force('caseload.force_name', "split_part(caseload.crime_reference, '/', 1)") }} as area_code,
    snapshot_date,
    crime_reference,
    caseload_status,
    status_date,
    days_in_status,
    is_domestic_abuse,
    is_rasso,
    is_youth_suspect
from caseload
