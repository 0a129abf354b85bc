"""Declarative specs of agency extracts: the one place an extract's columns, types, codes and keys are written.

The reader, the pandera schema and the raw table are all derived from a spec, so adding an extract with a new layout
is a YAML file, not new reader code.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.extract_files import normalise_header

SPECS_DIR = Path(__file__).resolve().parents[1] / "defs" / "ingest" / "specs"
DBT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


class ColumnSpec(BaseModel):
    """One column as the agency writes it (`header`) and as the warehouse names it (`name`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    header: str
    description: str | None = None
    dtype: Literal["str", "int", "float", "date"]
    date_format: str | list[str] | None = None  # strftime patterns, "iso" or "excel_serial"; the first that parses wins
    required: bool = False
    personal: bool = False
    drop: bool = False
    allowed: list[str] | None = None
    allowed_from: str | None = Field(default=None, pattern=r"^[a-z_0-9]+\.[a-z_0-9]+$")  # "<dbt seed>.<column>": one code list for ingest and dbt
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    not_before: str | None = None  # another date column this one cannot precede (e.g. charge before offence)
    not_after: str | None = None  # another date column this one cannot follow (e.g. recorded after the snapshot)

    @model_validator(mode="after")
    def _dates_need_a_format(self) -> "ColumnSpec":
        if self.dtype == "date" and not self.date_format:
            raise ValueError(f"column {self.name}: a date column needs date_format")
        if self.drop and not self.personal:
            raise ValueError(f"column {self.name}: only personal columns are dropped at read time")
        return self


class PersonKeySpec(BaseModel):
    """A pseudonymised person key derived at read time from several personal columns (say surname, forename and date
    of birth), for an extract with no person identifier: the columns may still be dropped, the key is kept."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    from_: list[str] = Field(alias="from", min_length=2)  # column names, in the order they are hashed
    description: str | None = None


class SourceSpec(BaseModel):
    """An agency extract: where its files land, how they are written, and what a valid row is."""

    model_config = ConfigDict(extra="forbid")

    extract: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    agency: str
    title: str
    description: str
    counting_basis: Literal["snapshot", "in_period", "cohort"]
    format: Literal["csv", "xlsx"]
    encoding: Literal["utf-8", "cp1252", "auto"] = "auto"
    sheet: str | None = None
    file_pattern: str
    primary_key: list[str]
    # "month": a key is unique within a reporting month (a snapshot repeats live cases every month);
    # "extract": unique across all months (a flow: a finalisation is counted once, ever).
    primary_key_scope: Literal["month", "extract"] = "month"
    columns: list[ColumnSpec]
    person_keys: list[PersonKeySpec] = []
    # "monthly": a file is expected for every closed month (the monthly schedule waits for it);
    # "irregular": files arrive when there is something to send (a lagged cohort, manual inputs), never awaited.
    cadence: Literal["monthly", "irregular"] = "monthly"

    @model_validator(mode="after")
    def _keys_are_columns(self) -> "SourceSpec":
        names = [c.name for c in self.columns]
        if len(set(names + [k.name for k in self.person_keys])) != len(names) + len(self.person_keys):
            raise ValueError("column and person key names must be unique")
        personal = {c.name for c in self.columns if c.personal}
        for person_key in self.person_keys:
            if len(set(person_key.from_)) != len(person_key.from_):
                raise ValueError(f"person key {person_key.name}: a column is named twice")
            if not set(person_key.from_) <= personal:
                raise ValueError(f"person key {person_key.name}: derives only from personal columns, not {sorted(set(person_key.from_) - personal)}")
        for column in self.columns:
            for other in (column.not_before, column.not_after):
                if other is not None and other not in names:
                    raise ValueError(f"column {column.name}: compares with unknown column {other}")
        missing = [k for k in self.primary_key if k not in names]
        if missing:
            raise ValueError(f"primary_key names unknown columns: {missing}")
        if "{month}" not in self.file_pattern:
            raise ValueError("file_pattern must contain {month} (the reporting month, YYYY-MM)")
        return self

    @property
    def landing_subdir(self) -> Path:
        """`<agency>/<extract without the agency prefix>`, e.g. police/live_caseload."""
        return Path(self.agency) / self.extract.removeprefix(f"{self.agency}_")

    @property
    def required_headers(self) -> set[str]:
        """Normalised headers that must be present: how a header row, and the extract itself, are recognised."""
        return {normalise_header(c.header) for c in self.columns if c.required}

    @property
    def kept_columns(self) -> list[ColumnSpec]:
        return [c for c in self.columns if not c.drop]

    @property
    def parsed_columns(self) -> list[ColumnSpec]:
        """Columns parsed and checked at read time: the kept ones and any dropped one a person key is derived from."""
        feeding = {name for k in self.person_keys for name in k.from_}
        return [c for c in self.columns if not c.drop or c.name in feeding]

    def reporting_month(self, path: Path) -> str | None:
        """The YYYY-MM a file name carries, or None if the name does not follow the pattern."""
        regex = re.escape(self.file_pattern).replace(re.escape("{month}"), r"(\d{4}-(?:0[1-9]|1[0-2]))")
        match = re.fullmatch(regex, path.name)
        return match.group(1) if match else None


@functools.lru_cache(maxsize=None)
def seed_values(reference: str) -> list[str]:
    """The values of a dbt seed's column ("ref_police_force_areas.area_name"), the code list dbt tests use too."""
    import polars as pl

    seed, column = reference.split(".")
    path = DBT_SEEDS_DIR / f"{seed}.csv"
    if not path.exists():
        raise ConfigurationError(f"allowed_from names an unknown seed: {path}")
    return pl.read_csv(path, infer_schema=False)[column].drop_nulls().unique().sort().to_list()


def load_spec(path: Path) -> SourceSpec:
    """Parse one spec file; errors name the file and the field."""
    try:
        return SourceSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"invalid source spec {path}: {exc}") from exc


def load_specs(specs_dir: Path = SPECS_DIR) -> dict[str, SourceSpec]:
    """Every spec in the folder, keyed by extract name."""
    specs = [load_spec(p) for p in sorted(specs_dir.glob("*.yaml"))]
    return {s.extract: s for s in specs}
