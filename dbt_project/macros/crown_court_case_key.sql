{#- A Crown Court case's identity: its court and its number. Crown Court case numbers (T + year + serial) repeat
    between Crown Courts, so the number alone merges different defendants' cases once more than one court is loaded;
    magistrates' court case numbers begin with the court's code and need no prefix. -#}
{% macro crown_court_case_key(court_code, case_number) -%}
    {{ court_code }} || '/' || {{ case_number }}
{%- endmacro %}
