{#- One row per case audited for Victims' Code of Practice compliance (PCC audit extract), dated by the audit, in
    the police force area of the crime. -#}
with audits as (

    select * from {{ ref('stg_pcc__vcop_audit') }}

)

select
    area_code,
    audit_date,
    crime_reference,
    is_domestic_abuse,
    is_sexual_violence,
    rights_met_count,
    is_compliant
from audits
