"""Load and validate the declarative scorecard definitions in scorecard_definitions/.

Two kinds of YAML file:
- `measures/**/<id>.yaml`: one measure each, what it means and how it is computed (a numerator and a denominator, or
  an aggregate, over a named dbt model with filters). A measure is written once and any scorecard may use it.
- `<scorecard>/scorecard.yaml`: a board's scorecard: the force areas it covers, its sections and, per section, the
  measures it reports with the board's own title, target and red-amber-green thresholds.

Validation happens at load time, so a typo stops the refresh with the file, the measure and the field named instead
of publishing a scorecard with a silently missing measure. Computations are checked against the dbt models' own YAML
documentation (every column a filter or an aggregate names must be a documented column of the model).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import polars as pl
import sqlglot
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlglot import exp

from pipelines.lib.disclosure import PART_COLUMNS, default_rests_on, describe_rests_on
from pipelines.lib.errors import ConfigurationError
from pipelines.lib.source_spec import load_specs
from pipelines.settings import DBT_PROJECT_DIR

Identifier = Field(pattern=r"^[a-z][a-z0-9_]*$")
MEASURES_FOLDER = "measures"
SCALE_BY_UNIT = {"count": 1.0, "percentage": 100.0, "rate_per_1000": 1000.0, "days": 1.0, "ratio": 1.0}
PERIOD_TYPES_BY_BASIS = {
    "in_period": ["month", "quarter", "r12m"],
    "snapshot": ["month", "quarter"],
    "rolling_12_months": ["r12m"],
    "cohort": ["quarter"],
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quantity(Strict):
    """One aggregate over a dbt model: rows (or distinct keys) of the model that pass the filter, in the period."""

    model: str | None = None
    date: str | None = None
    filter: str | None = None
    aggregate: Literal["count", "count_distinct", "sum", "mean", "median"] = "count"
    column: str | None = None
    min_events: int = Field(default=1, ge=1, description="count_distinct only: keys with at least this many rows")
    per_1000_residents: Literal["all", "White", "Black", "Asian", "Mixed", "Other"] | None = Field(
        default=None,
        description="divide by the reporting unit's residents (of this ethnic group) / 1,000 (ref_area_population)",
    )

    @model_validator(mode="after")
    def _column_when_needed(self) -> Quantity:
        if self.aggregate != "count" and not self.column:
            raise ValueError(f"aggregate '{self.aggregate}' needs a column")
        if self.min_events > 1 and self.aggregate != "count_distinct":
            raise ValueError("min_events applies to count_distinct only")
        if self.per_1000_residents and (
            self.aggregate not in ("count", "count_distinct", "sum") or self.min_events > 1
        ):
            raise ValueError("per_1000_residents applies to a count, distinct count or sum")
        return self


class Computation(Quantity):
    """The defaults (model, date, filter) for the measure, and either a value or a numerator and denominator."""

    window: Literal["event", "snapshot", "cohort"] = "event"
    numerator: Quantity | None = None
    denominator: Quantity | None = None

    @model_validator(mode="after")
    def _shape(self) -> Computation:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("give both numerator and denominator, or neither")
        if self.numerator is not None and self.aggregate != "count":
            raise ValueError("a ratio's aggregates go in numerator and denominator, not beside them")
        if not self.model:
            raise ValueError("model is required")
        if self.window != "cohort" and not self.date:
            raise ValueError("date is required (the column that places a row in a period)")
        return self


PUBLISHED_SERIES_SEED = DBT_PROJECT_DIR / "seeds" / "ref_published_series.csv"


@lru_cache(maxsize=1)
def published_series(seed: Path = PUBLISHED_SERIES_SEED) -> dict[str, dict[str, str]]:
    """The published series a comparator may name (the seed the engine's comparator model reads too), by id."""
    with seed.open(newline="", encoding="utf-8") as handle:
        return {row["series"]: row for row in csv.DictReader(handle)}


class Comparator(Strict):
    """The published series a measure is compared with (England and Wales and the area's peer group, from the
    agency's own publication), where the measure's definition matches it; the scorecard shows the published figures
    beside the area's own (published_national_value, peer_value)."""

    series: str = Field(description="a series of dbt_project/seeds/ref_published_series.csv")
    counting_basis: str = Field(
        description="what the published figure counts, and how it differs from the measure, if at all"
    )
    mapping: str = Field(description="how the measure maps onto the series (which rows, which columns)")

    @field_validator("series")
    @classmethod
    def _known_series(cls, series: str) -> str:
        known = published_series()
        if series not in known:
            raise ValueError(f"unknown published series '{series}'; known: {', '.join(sorted(known))}")
        return series


class Measure(Strict):
    id: str = Identifier
    title: str
    description: str
    owner_agency: str
    source_agencies: list[str]
    source_extracts: list[str] = []
    counting_basis: Literal["snapshot", "in_period", "rolling_12_months", "cohort"]
    unit: Literal["count", "percentage", "rate_per_1000", "days", "ratio"]
    frequency: Literal["monthly", "quarterly", "annual"]
    polarity: Literal["higher_is_better", "lower_is_better", "neither"]
    availability: Literal["computed", "manual_input", "not_available"] = "computed"
    availability_reason: str | None = None
    estimate_reason: str | None = None
    provisional_months: int = Field(default=0, ge=0, le=12)
    provisional_reason: str | None = None
    disclosure: Literal["standard", "not_personal"] = "standard"
    disclosure_rests_on: (
        dict[Literal["value", "numerator", "denominator"], Literal["small_count", "min_base"]] | None
    ) = Field(
        default=None,
        description="the parts whose counts a figure rests on, and the test each must pass (small_count: not 1 to the "
        "count threshold; min_base: at least the minimum base); by default from the unit (pipelines/lib/disclosure.py)",
    )
    breakdowns: list[str] = []
    compute: Computation | None = None
    comparator: Comparator | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if self.availability != "computed" and not self.availability_reason:
            raise ValueError("availability_reason is required when availability is not 'computed'")
        if self.provisional_months and not self.provisional_reason:
            raise ValueError("provisional_reason is required when provisional_months is set")
        if self.availability == "computed" and self.compute is None:
            raise ValueError("compute is required when availability is 'computed'")
        if self.availability != "computed" and self.compute is not None:
            raise ValueError("compute is given but availability is not 'computed'")
        if self.compute is not None:
            if (self.compute.window == "snapshot") != (self.counting_basis == "snapshot"):
                raise ValueError("window 'snapshot' goes with counting_basis 'snapshot' (and only with it)")
            if (self.compute.window == "cohort") != (self.counting_basis == "cohort"):
                raise ValueError("window 'cohort' goes with counting_basis 'cohort' (and only with it)")
            is_ratio = self.compute.numerator is not None or self.compute.aggregate == "mean"
            per_residents = self.unit == "rate_per_1000" and self.compute.per_1000_residents is not None
            if self.unit in ("percentage", "rate_per_1000", "ratio") and not is_ratio and not per_residents:
                raise ValueError(f"unit '{self.unit}' needs a numerator and a denominator")
            if self.unit == "count" and is_ratio:
                raise ValueError("unit 'count' cannot have a numerator and denominator")
        if self.disclosure_rests_on is not None:
            published = set(
                PART_COLUMNS.get(_aggregate_name(self) or "", {"value": "", "numerator": "", "denominator": ""})
            )
            declared: set[str] = set(self.disclosure_rests_on)
            unknown = sorted(declared - published)
            if unknown:
                raise ValueError(
                    f"disclosure_rests_on names {', '.join(unknown)}, not a published part of this measure "
                    f"({', '.join(sorted(published))})"
                )
        if self.comparator is not None:
            series = published_series()[self.comparator.series]
            if series["unit"] != self.unit:
                raise ValueError(
                    f"comparator series '{self.comparator.series}' is a {series['unit']}, the measure a {self.unit}"
                )
            if self.counting_basis != "in_period":
                raise ValueError(
                    "a comparator applies to in_period measures (published series count events in a period)"
                )
        return self


class Rag(Strict):
    """Red-amber-green: green at or beyond `green`, red beyond `red`, amber between (direction from polarity)."""

    green: float
    red: float


class ScorecardMeasure(Strict):
    id: str = Identifier
    title: str | None = Field(
        default=None, description="the title as this board knows the measure, if not the library's"
    )
    target: float | None = None
    rag: Rag | None = None


class Section(Strict):
    id: str = Identifier
    title: str
    measures: list[ScorecardMeasure]


class Scorecard(Strict):
    id: str = Identifier
    title: str
    source: str
    areas: list[str] = Field(min_length=1, description="ONS police force area codes the board covers")
    sections: list[Section]

    @field_validator("areas")
    @classmethod
    def _area_codes(cls, areas: list[str]) -> list[str]:
        for code in areas:
            if not _valid_area(code):
                raise ValueError(f"'{code}' is not an ONS police force area code (E23000xxx or W15000xxx)")
        return areas


def _valid_area(code: str) -> bool:
    return len(code) == 9 and code[:3] in ("E23", "W15") and code[3:].isdigit()


FORCE_AREAS_SEED = DBT_PROJECT_DIR / "seeds" / "ref_police_force_areas.csv"


@lru_cache(maxsize=1)
def police_force_areas(seed: Path = FORCE_AREAS_SEED) -> dict[str, str]:
    """The 43 police force areas of England and Wales (code -> name), from the seed every model resolves areas with."""
    with seed.open(newline="", encoding="utf-8") as handle:
        return {row["area_code"]: row["area_name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def known_extracts() -> frozenset[str]:
    """The extracts the landing zone can deliver (one source spec each): what a measure's source_extracts may name."""
    return frozenset(load_specs())


def _describe_errors(exc: ValidationError, raw: Any) -> str:
    """Pydantic's locations turned into 'measure X, field Y' so a board analyst can find the line."""
    lines = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = f"field '{'.'.join(str(p) for p in loc) or '(document)'}'"
        if isinstance(raw, dict):
            where = _locate_in_sections(loc, raw) or where
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)


def _locate_in_sections(loc: list, raw: dict) -> str | None:
    if len(loc) >= 4 and loc[0] == "sections" and loc[2] == "measures" and isinstance(loc[3], int):
        try:
            measure_id = raw["sections"][loc[1]]["measures"][loc[3]].get("id", f"#{loc[3] + 1}")
        except (IndexError, KeyError, TypeError, AttributeError):
            measure_id = f"#{loc[3] + 1}"
        field = ".".join(str(p) for p in loc[4:]) or "(measure)"
        return f"measure '{measure_id}', field '{field}'"
    return None


def _read(path: Path, root: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path.relative_to(root)}: not valid YAML: {exc}") from exc


def _parse_measure(path: Path, root: Path) -> Measure:
    raw = _read(path, root)
    relative = path.relative_to(root)
    measure_id = raw.get("id", path.stem) if isinstance(raw, dict) else path.stem
    try:
        measure = Measure.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "(measure)"
            lines.append(f"measure '{measure_id}', field '{field}': {error['msg']}")
        raise ConfigurationError(f"{relative}: " + "; ".join(lines)) from exc
    if measure.id != path.stem:
        raise ConfigurationError(
            f"{relative}: measure '{measure.id}', field 'id': must match the file name '{path.stem}'"
        )
    unknown = [extract for extract in measure.source_extracts if extract not in known_extracts()]
    if unknown:
        raise ConfigurationError(
            f"{relative}: measure '{measure.id}', field 'source_extracts': {', '.join(repr(e) for e in unknown)} "
            f"not an extract of the landing zone (no source spec in pipelines/defs/ingest/specs/; known: "
            f"{', '.join(sorted(e for e in known_extracts() if not e.startswith('public_')))})"
        )
    return measure


def _parse_scorecard(path: Path, root: Path) -> Scorecard:
    raw = _read(path, root)
    try:
        scorecard = Scorecard.model_validate(raw)
    except ValidationError as exc:
        raise ConfigurationError(f"{path.relative_to(root)}: " + _describe_errors(exc, raw)) from exc
    unknown = [code for code in scorecard.areas if code not in police_force_areas()]
    if unknown:
        raise ConfigurationError(
            f"{path.relative_to(root)}: field 'areas': {', '.join(repr(c) for c in unknown)} not a police force area "
            f"of England and Wales (dbt_project/seeds/ref_police_force_areas.csv lists the 43)"
        )
    if len(set(scorecard.areas)) != len(scorecard.areas):
        raise ConfigurationError(f"{path.relative_to(root)}: field 'areas': an area is listed twice")
    return scorecard


@lru_cache(maxsize=4)
def documented_model_columns(dbt_project_dir: Path = DBT_PROJECT_DIR) -> dict[str, dict[str, dict[str, Any]]]:
    """Every dbt model's documented columns with their `meta`, from the models' YAML (the contract a measure may
    compute over)."""
    columns: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted((dbt_project_dir / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            columns[model["name"]] = {c["name"]: c.get("meta") or {} for c in model.get("columns") or []}
    return columns


KEY_SCOPES = ("area", "national")


def key_scope(model: str, column: str) -> str | None:
    """Where a key column's values are unique (its YAML `meta.key_scope`): `area` for an ID each police force area
    issues on its own (suspect IDs, crime references: two forces' P00000001 are two people), `national` for one that
    means the same person or crime in every area (a hash of name and date of birth). The engine counts distinct
    area-scoped keys within their area, so a board or England and Wales never merges two forces' people."""
    return documented_model_columns().get(model, {}).get(column, {}).get("key_scope")


@lru_cache(maxsize=4)
def measure_fact_models(dbt_project_dir: Path = DBT_PROJECT_DIR) -> tuple[str, ...]:
    """The models the engine may read (the calling dbt model declares them all as dependencies)."""
    project = yaml.safe_load((dbt_project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return tuple(project["vars"]["measure_fact_models"])


def _filter_columns(filter_sql: str) -> set[str]:
    """The column names a filter refers to; a filter that is not a SQL boolean expression is refused."""
    try:
        expression = sqlglot.parse_one(filter_sql, dialect="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise ValueError(f"not a SQL expression: {exc.errors[0]['description'] if exc.errors else exc}") from exc
    if isinstance(expression, (exp.Select, exp.Union, exp.Insert, exp.Delete, exp.Update, exp.Drop, exp.Create)):
        raise ValueError("a filter is a condition on the model's columns, not a statement")
    return {column.name for column in expression.find_all(exp.Column)}


def measure_parts(measure: Measure) -> list[dict[str, Any]]:
    """The measure's computation as the engine runs it: one row per aggregate (value, or numerator and denominator).

    A mean is written as a numerator (sum) over a denominator (count), so the published figure carries both and
    a board total can be recomputed rather than averaged; a median keeps its count as the denominator. Both also
    count all their rows, so a period where some rows lack the value is published as an estimate, not as exact.
    """
    compute = measure.compute
    assert compute is not None

    def part(
        name: str,
        quantity: Quantity | None,
        aggregate: str,
        column: str | None,
        min_events: int = 1,
        per_1000_residents: str | None = None,
    ) -> dict[str, Any]:
        """One aggregate; the measure's model, date and filter apply unless the numerator or denominator says otherwise."""
        quantity = quantity or Quantity()
        filters = [f for f in (compute.filter, quantity.filter) if f]
        return {
            "measure_id": measure.id,
            "part": name,
            "model": quantity.model or compute.model,
            "date_column": quantity.date or compute.date,
            "window": compute.window,
            "filter_sql": " and ".join(f"({f})" for f in filters) if filters else "true",
            "aggregate": aggregate,
            "column_name": column,
            "min_events": max(quantity.min_events, min_events),
            "per_1000_residents": quantity.per_1000_residents or per_1000_residents,
            "key_scope": key_scope(quantity.model or compute.model or "", column or "")
            if aggregate == "count_distinct"
            else None,
        }

    numerator, denominator = compute.numerator, compute.denominator
    if numerator is not None:
        if denominator is None:  # Computation's validator refuses this already
            raise ValueError(f"measure '{measure.id}' has a numerator but no denominator")
        return [
            part("numerator", numerator, numerator.aggregate, numerator.column),
            part("denominator", denominator, denominator.aggregate, denominator.column),
        ]
    # a mean or median also counts its rows: a period where some lack the column (a date before the data) is partial
    if compute.aggregate == "mean":
        return [
            part("numerator", None, "sum", compute.column),
            part("denominator", None, "count", compute.column),
            part("rows", None, "count", None),
        ]
    if compute.aggregate == "median":
        return [
            part("value", None, "median", compute.column),
            part("denominator", None, "count", compute.column),
            part("rows", None, "count", None),
        ]
    return [part("value", None, compute.aggregate, compute.column, compute.min_events, compute.per_1000_residents)]


def _check_against_models(measure: Measure, parts: list[dict[str, Any]], relative: Path) -> None:
    """Every model, column and filter a computation names must exist in the dbt models' documentation."""
    models = documented_model_columns()
    fact_models = set(measure_fact_models())

    def where(field: str) -> str:
        return f"{relative}: measure '{measure.id}', field '{field}'"

    for part in parts:

        def field_of(name: str, part: dict[str, Any] = part) -> str:
            return _field_of(measure, part["part"], name)

        model = part["model"]
        if model not in models:
            raise ConfigurationError(f"{where(field_of('model'))}: '{model}' is not a documented dbt model")
        if model not in fact_models:
            raise ConfigurationError(
                f"{where(field_of('model'))}: '{model}' is not in dbt_project.yml vars.measure_fact_models"
            )
        known = models[model]
        for field, column in (("date", part["date_column"]), ("column", part["column_name"])):
            if column and column not in known:
                raise ConfigurationError(f"{where(field_of(field))}: '{column}' is not a documented column of {model}")
        if part["aggregate"] == "count_distinct" and known[part["column_name"]].get("key_scope") not in KEY_SCOPES:
            raise ConfigurationError(
                f"{where(field_of('column'))}: '{part['column_name']}' of {model} does not say where its values are "
                f"unique (meta.key_scope in the model's YAML: area, for IDs each force issues, or national), so a "
                f"distinct count over a board could merge two forces' people"
            )
        for field, filter_sql in _filters_of(measure, part["part"]):
            try:
                unknown = _filter_columns(filter_sql) - set(known)
            except ValueError as exc:
                raise ConfigurationError(f"{where(field)}: {exc}") from exc
            if unknown:
                raise ConfigurationError(
                    f"{where(field)}: {', '.join(sorted(unknown))} not documented columns of {model}"
                )
        for breakdown in measure.breakdowns:
            if breakdown not in known:
                raise ConfigurationError(f"{where('breakdowns')}: '{breakdown}' is not a documented column of {model}")


def _quantity_of(measure: Measure, part: str) -> tuple[Quantity | None, str]:
    """The numerator or denominator a part comes from (with its field path), or none for the measure's own aggregate."""
    compute = measure.compute
    assert compute is not None
    if part == "numerator" and compute.numerator is not None:
        return compute.numerator, "compute.numerator"
    if part == "denominator" and compute.denominator is not None:
        return compute.denominator, "compute.denominator"
    return None, "compute"


def _field_of(measure: Measure, part: str, name: str) -> str:
    """The field a part's model, date or column was written in: the numerator's own, else the measure's default
    (a typo in compute.model is reported there, not in compute.numerator.model, which the analyst never wrote)."""
    quantity, path = _quantity_of(measure, part)
    if quantity is not None and getattr(quantity, name) is None and name in ("model", "date"):
        return f"compute.{name}"
    return f"{path}.{name}"


def _filters_of(measure: Measure, part: str) -> list[tuple[str, str]]:
    """Each filter that applies to a part, with the field it was written in."""
    compute = measure.compute
    assert compute is not None
    quantity, path = _quantity_of(measure, part)
    filters = [("compute.filter", compute.filter)]
    if quantity is not None:
        filters.append((f"{path}.filter", quantity.filter))
    return [(field, text) for field, text in filters if text]


def _computation_text(measure: Measure) -> str | None:
    """The computation in words for the catalogue, e.g. 'count of fct_police_outcomes where ... / count of ...'."""
    if measure.compute is None:
        return None
    texts = []
    for part in measure_parts(measure):
        subject = f"{part['aggregate']}({part['column_name']})" if part["column_name"] else "count(*)"
        if part["min_events"] > 1:
            subject += f" having at least {part['min_events']} rows"
        if part["per_1000_residents"]:
            subject += f" per 1,000 residents ({part['per_1000_residents']})"
        condition = "" if part["filter_sql"] == "true" else f" where {part['filter_sql']}"
        texts.append(f"{part['part']}: {subject} of {part['model']} by {part['date_column'] or 'cohort'}{condition}")
    return "; ".join(texts)


class Definitions:
    """Everything under scorecard_definitions/, validated: the measure library and the scorecards that use it."""

    def __init__(self, root: Path):
        self.root = root
        self.measures: dict[str, tuple[Measure, Path]] = {}
        for path in sorted((root / MEASURES_FOLDER).rglob("*.yaml")):
            measure = _parse_measure(path, root)
            relative = path.relative_to(root)
            if measure.id in self.measures:
                raise ConfigurationError(
                    f"{relative}: measure '{measure.id}' is also defined in {self.measures[measure.id][1]}"
                )
            if measure.compute is not None:
                _check_against_models(measure, measure_parts(measure), relative)
            self.measures[measure.id] = (measure, relative)
        self.scorecards: list[tuple[Scorecard, Path]] = []
        for path in sorted(root.glob("*/scorecard.yaml")):
            scorecard = _parse_scorecard(path, root)
            relative = path.relative_to(root)
            if scorecard.id != path.parent.name:
                raise ConfigurationError(
                    f"{relative}: field 'id': '{scorecard.id}' must match its folder '{path.parent.name}'"
                )
            seen: set[str] = set()
            for section in scorecard.sections:
                for entry in section.measures:
                    if entry.id not in self.measures:
                        raise ConfigurationError(
                            f"{relative}: measure '{entry.id}', field 'id': no such measure in {MEASURES_FOLDER}/"
                        )
                    if entry.id in seen:
                        raise ConfigurationError(f"{relative}: measure '{entry.id}' is listed twice")
                    seen.add(entry.id)
                    if entry.rag is not None:
                        _check_rag(entry, self.measures[entry.id][0], relative)
            self.scorecards.append((scorecard, relative))
        if not self.scorecards:
            raise ConfigurationError(f"no scorecard definitions (*/scorecard.yaml) found under {root}")

    def catalogue(self) -> pl.DataFrame:
        """One row per scorecard and measure with every definition field (the scorecard.measures table)."""
        rows = []
        for scorecard, scorecard_file in self.scorecards:
            for section_order, section in enumerate(scorecard.sections, start=1):
                for measure_order, entry in enumerate(section.measures, start=1):
                    measure, measure_file = self.measures[entry.id]
                    rows.append(
                        {
                            "scorecard_id": scorecard.id,
                            "scorecard_title": scorecard.title,
                            "section_id": section.id,
                            "section_title": section.title,
                            "section_order": section_order,
                            "measure_order": measure_order,
                            "measure_id": measure.id,
                            "title": entry.title or measure.title,
                            "library_title": measure.title,
                            "description": " ".join(measure.description.split()),
                            "owner_agency": measure.owner_agency,
                            "source_agencies": ",".join(measure.source_agencies),
                            "source_extracts": ",".join(measure.source_extracts),
                            "counting_basis": measure.counting_basis,
                            "period_types": ",".join(PERIOD_TYPES_BY_BASIS[measure.counting_basis]),
                            "unit": measure.unit,
                            "scale": SCALE_BY_UNIT[measure.unit],
                            "aggregate": _aggregate_name(measure),
                            "computation": _computation_text(measure),
                            "frequency": measure.frequency,
                            "polarity": measure.polarity,
                            "target": entry.target,
                            "rag_green": entry.rag.green if entry.rag else None,
                            "rag_red": entry.rag.red if entry.rag else None,
                            "disclosure": measure.disclosure,
                            "disclosure_rests_on": describe_rests_on(_rests_on(measure)),
                            "breakdowns": ",".join(measure.breakdowns),
                            "availability": measure.availability,
                            "availability_reason": measure.availability_reason,
                            "estimate_reason": measure.estimate_reason,
                            "provisional_months": measure.provisional_months,
                            "provisional_reason": measure.provisional_reason,
                            "comparator_series": measure.comparator.series if measure.comparator else None,
                            "comparator_basis": measure.comparator.counting_basis if measure.comparator else None,
                            "definition_file": str(measure_file),
                            "scorecard_file": str(scorecard_file),
                        }
                    )
        return pl.DataFrame(rows, infer_schema_length=None)

    def parts(self) -> pl.DataFrame:
        """The computations of the measures some scorecard uses (the engine's input; see measure_parts)."""
        used = {
            entry.id for scorecard, _ in self.scorecards for section in scorecard.sections for entry in section.measures
        }
        rows = [
            part
            for measure_id, (measure, _) in sorted(self.measures.items())
            if measure_id in used and measure.compute is not None
            for part in measure_parts(measure)
        ]
        return pl.DataFrame(rows, schema=_PARTS_SCHEMA)

    def scorecard_areas(self) -> pl.DataFrame:
        """The force areas each board covers (a board's figures are recomputed over all of them, not averaged)."""
        rows = [{"scorecard_id": s.id, "area_code": code} for s, _ in self.scorecards for code in s.areas]
        return pl.DataFrame(rows)

    def breakdowns(self) -> pl.DataFrame:
        rows = [
            {"measure_id": measure_id, "breakdown": breakdown}
            for measure_id, (measure, _) in sorted(self.measures.items())
            for breakdown in measure.breakdowns
        ]
        return pl.DataFrame(rows, schema={"measure_id": pl.String, "breakdown": pl.String})


_PARTS_SCHEMA = {
    "measure_id": pl.String,
    "part": pl.String,
    "model": pl.String,
    "date_column": pl.String,
    "window": pl.String,
    "filter_sql": pl.String,
    "aggregate": pl.String,
    "column_name": pl.String,
    "min_events": pl.Int64,
    "per_1000_residents": pl.String,
    "key_scope": pl.String,
}


def _rests_on(measure: Measure) -> dict[str, str]:
    """The counts a measure's figures rest on for disclosure control: declared, else from its unit."""
    if measure.disclosure_rests_on is not None:
        return {part: test for part, test in measure.disclosure_rests_on.items()}
    per_1000: set[str] = set()
    if measure.compute is not None:
        for part, quantity in (
            ("value", measure.compute),
            ("numerator", measure.compute.numerator),
            ("denominator", measure.compute.denominator),
        ):
            if quantity is not None and quantity.per_1000_residents:
                per_1000.add(part)
    return default_rests_on(measure.unit, _aggregate_name(measure), per_1000)


def _aggregate_name(measure: Measure) -> str | None:
    if measure.compute is None:
        return None
    if measure.compute.numerator is not None:
        return "ratio"
    return measure.compute.aggregate


def _check_rag(entry: ScorecardMeasure, measure: Measure, relative: Path) -> None:
    assert entry.rag is not None
    where = f"{relative}: measure '{entry.id}', field 'rag'"
    if measure.polarity == "neither":
        raise ConfigurationError(f"{where}: a measure with polarity 'neither' has no red-amber-green")
    if measure.polarity == "higher_is_better" and entry.rag.green < entry.rag.red:
        raise ConfigurationError(
            f"{where}: higher is better, so green ({entry.rag.green}) must be at least red ({entry.rag.red})"
        )
    if measure.polarity == "lower_is_better" and entry.rag.green > entry.rag.red:
        raise ConfigurationError(
            f"{where}: lower is better, so green ({entry.rag.green}) must be at most red ({entry.rag.red})"
        )


def load_definitions(root: Path) -> Definitions:
    return Definitions(root)


def load_measure_catalogue(root: Path) -> pl.DataFrame:
    """Every measure of every scorecard under root, one row each, with its scorecard and section."""
    return Definitions(root).catalogue()
