"""The dbt sources for the raw layer, derived from the extract specs (written once, in the spec).

`cjs-scorecard dbt-sources` rewrites dbt_project/models/staging/_raw__sources.yml and the macros
dbt_project/macros/generated/extracts_sent_by_force.sql (which extracts each force sends on its own, and the column
naming the force) and monthly_agency_extracts.sql (the extracts a board waits for every month, with the day each is
due); a test fails when a committed file is out of date with the specs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines.lib.markers import MARKER_SUFFIX
from pipelines.lib.source_spec import SourceSpec, load_specs
from pipelines.settings import DBT_PROJECT_DIR

RAW_SOURCES_FILE = DBT_PROJECT_DIR / "models" / "staging" / "_raw__sources.yml"
SENDERS_MACRO_FILE = DBT_PROJECT_DIR / "macros" / "generated" / "extracts_sent_by_force.sql"
SCHEDULE_MACRO_FILE = DBT_PROJECT_DIR / "macros" / "generated" / "monthly_agency_extracts.sql"
HEADER = (
    "# Generated from pipelines/defs/ingest/specs/*.yaml by `cjs-scorecard dbt-sources`: do not edit by hand.\n"
    "# Column rules are checked at ingestion (pandera, from the same specs) and again on the staging models.\n"
)
LINEAGE_COLUMNS = {
    "_line_number": "Line of the file (CSV) or row of the sheet (XLSX) the row came from, the header counted.",
    "_source_file": "Landing-zone file the row came from.",
    "_file_sha256": "SHA-256 of that file: the delivery.",
    "_reporting_month": "Reporting month the file name (or its month folder) carries (YYYY-MM); empty for a public file whose periods are in its rows.",
    "_as_at": "As-at date of the delivery (the reporting month's last day).",
    "_loaded_at": "When the delivery was loaded.",
}


def _column_description(spec: SourceSpec, column) -> str:
    text = column.description + " " if column.description else ""
    if column.header in spec.header_groups:
        text += f"Carried by the headers (the `{column.header}` group of their header_pattern)"
    elif column.header_pattern:
        text += (
            f"Delivered as '{column.header}', or its name in another vintage (header_pattern `{column.header_pattern}`)"
        )
    else:
        text += f"Delivered as '{column.header}'"
    if column.personal:
        text += "; personal identifier, replaced by a keyed hash (HMAC-SHA-256) at read time"
    return text + "."


def _person_key_description(spec: SourceSpec, person_key) -> str:
    headers = {c.name: c.header for c in spec.columns}
    text = f"{' '.join(person_key.description.split()) + ' ' if person_key.description else ''}"
    return text + (
        "Derived at read time: a keyed hash (HMAC-SHA-256) of the normalised "
        f"{', '.join(headers[name] for name in person_key.from_)}; empty when any of them is."
    )


def _table(spec: SourceSpec) -> dict:
    return {
        "name": spec.extract,
        "description": f"{spec.title}. Counting basis: {spec.counting_basis}. {' '.join(spec.description.split())}",
        "meta": {"dagster": {"asset_key": ["raw", spec.extract]}},
        "columns": [{"name": c.name, "description": _column_description(spec, c)} for c in spec.kept_columns]
        + [
            {
                "name": name,
                "description": f"Why {name.removesuffix(MARKER_SUFFIX)} is empty: suppressed, not_available, not_applicable or missing (the publisher's marker, read by pipelines/lib/markers.py); empty when it holds a value.",
            }
            for name in spec.marker_columns
        ]
        + [{"name": k.name, "description": _person_key_description(spec, k)} for k in spec.person_keys]
        + [{"name": name, "description": text} for name, text in LINEAGE_COLUMNS.items()],
    }


def render_raw_sources(specs: dict[str, SourceSpec] | None = None) -> str:
    document = {
        "version": 2,
        "sources": [
            {
                "name": "raw",
                "description": "Agency extracts as loaded by the Dagster ingest assets: one delivery in force per extract "
                "and reporting month, typed per their source spec, personal identifiers hashed or dropped.",
                "schema": "raw",
                "tables": [_table(spec) for spec in sorted((specs or load_specs()).values(), key=lambda s: s.extract)],
            }
        ],
    }
    return HEADER + yaml.safe_dump(document, sort_keys=False, width=118, allow_unicode=True)


def render_senders_macro(specs: dict[str, SourceSpec] | None = None) -> str:
    """A dbt macro returning {extract: column naming the force} for the extracts each police force sends on its own
    (spec `sender_column`): dbt reads which forces a month was delivered for from those columns."""
    senders = {
        spec.extract: spec.sender_column
        for spec in sorted((specs or load_specs()).values(), key=lambda s: s.extract)
        if spec.sender_column
    }
    entries = "".join(f"\n        '{extract}': '{column}'," for extract, column in senders.items())
    return (
        "{#- Generated from pipelines/defs/ingest/specs/*.yaml (sender_column) by `cjs-scorecard dbt-sources`: do not\n"
        "    edit by hand. The extracts each police force area sends on its own, and the column naming the force. -#}\n"
        "{% macro extracts_sent_by_force() -%}\n"
        f"    {{{{ return({{{entries}\n    }}) }}}}\n"
        "{%- endmacro %}\n"
    )


def render_schedule_macro(specs: dict[str, SourceSpec] | None = None) -> str:
    """A dbt macro returning {extract: {agency, expected_delivery_day}} for the extracts a board waits for every month
    (agency extracts of cadence monthly): dbt judges each delivery on time, late or missing against the spec's day."""
    monthly = [
        spec
        for spec in sorted((specs or load_specs()).values(), key=lambda s: s.extract)
        if spec.publisher == "agency" and spec.cadence == "monthly"
    ]
    entries = "".join(
        f"\n        '{spec.extract}': {{'agency': '{spec.agency}', 'expected_delivery_day': {spec.expected_delivery_day}}},"
        for spec in monthly
    )
    return (
        "{#- Generated from pipelines/defs/ingest/specs/*.yaml (cadence, expected_delivery_day) by `cjs-scorecard\n"
        "    dbt-sources`: do not edit by hand. The agency extracts a board waits for every month, each with its agency and\n"
        "    the day of the following month its file is due. -#}\n"
        "{% macro monthly_agency_extracts() -%}\n"
        f"    {{{{ return({{{entries}\n    }}) }}}}\n"
        "{%- endmacro %}\n"
    )


def write_raw_sources(
    path: Path = RAW_SOURCES_FILE, senders_path: Path = SENDERS_MACRO_FILE, schedule_path: Path = SCHEDULE_MACRO_FILE
) -> Path:
    path.write_text(render_raw_sources(), encoding="utf-8")
    senders_path.parent.mkdir(parents=True, exist_ok=True)
    senders_path.write_text(render_senders_macro(), encoding="utf-8")
    schedule_path.write_text(render_schedule_macro(), encoding="utf-8")
    return path
