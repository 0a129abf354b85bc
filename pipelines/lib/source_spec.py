"""Declarative specs of agency extracts: the one place an extract's columns, types, codes and keys are written.

The reader, the pandera schema and the raw table are all derived from a spec, so adding an extract with a new layout
is a YAML file, not new reader code.
"""

from __future__ import annotations

import calendar
import functools
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.extract_files import normalise_header
from pipelines.lib.markers import MARKER_SUFFIX, Meaning
from pipelines.lib.months import MONTH_PATTERN

# Month names and abbreviations a publisher writes in a file name (`principal_offence_category_Mar_2018.csv`).
MONTH_WORDS = {
    name.lower(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
} | {"sept": 9}
SPECS_DIR = Path(__file__).resolve().parents[1] / "defs" / "ingest" / "specs"
DBT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


class ColumnSpec(BaseModel):
    """One column as the agency writes it (`header`) and as the warehouse names it (`name`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    header: str  # as the publisher writes it; with header_pattern, one vintage's spelling (for docs and messages)
    # A publisher that renames a header every vintage (ONS: LAD23CD, LAD24CD ...): a regex the header matches in every
    # vintage (whole header, any case). Its named groups (`(?P<vintage>\d{2})`) are values the headers carry: each goes
    # to the column whose `header` is the group's name, and every header carrying a group must agree on it.
    header_pattern: str | None = None
    description: str | None = None
    dtype: Literal["str", "int", "float", "percent", "date"]  # percent: "83.3%" -> 83.3
    date_format: str | list[str] | None = None  # strftime patterns, "iso" or "excel_serial"; the first that parses wins
    required: bool = False
    # True: a person's data, hashed (or dropped) at read time. False: stated to hold no personal data, so a rejected
    # value may be quoted in the quarantine. Unset: not hashed, but free text (a text column with no code list: a
    # pattern does not count, a value failing it may be anything) is treated as personal in messages.
    personal: bool | None = None
    drop: bool = False
    allowed: list[str] | None = None
    allowed_from: str | None = Field(
        default=None, pattern=r"^[a-z_0-9]+\.[a-z_0-9]+$"
    )  # "<dbt seed>.<column>": one code list for ingest and dbt
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    not_before: str | None = None  # another date column this one cannot precede (e.g. charge before offence)
    not_after: str | None = None  # another date column this one cannot follow (e.g. recorded after the snapshot)
    # Publishers' markers (`[c]`, `..`, `-`, ... see pipelines/lib/markers.py) are read as what they mean: the value
    # stays empty and `<name>_marker` says why. extra_markers adds a publisher's own (the CPS's "0" percentage).
    markers: bool = False
    extra_markers: dict[str, Meaning] = {}

    @model_validator(mode="after")
    def _dates_need_a_format(self) -> ColumnSpec:
        if self.header_pattern is not None:
            try:
                regex = self.header_regex
            except re.error as exc:
                raise ValueError(f"column {self.name}: header_pattern is not a valid regex: {exc}") from exc
            if not regex.fullmatch(self.header):
                raise ValueError(f"column {self.name}: header '{self.header}' does not match its header_pattern")
        if self.dtype == "date" and not self.date_format:
            raise ValueError(f"column {self.name}: a date column needs date_format")
        if self.drop and not self.personal:
            raise ValueError(f"column {self.name}: only personal columns are dropped at read time")
        if (self.markers or self.extra_markers) and (self.dtype in ("str", "date") or not self.markers):
            raise ValueError(f"column {self.name}: markers are read in number columns (markers: true) only")
        return self

    @property
    def values_quotable(self) -> bool:
        """Whether a rejected value of this column may be shown (in audit.quarantine): never a personal column's,
        nor free text's unless the spec says it holds no personal data."""
        if self.personal is not None:
            return not self.personal
        return self.dtype != "str" or bool(self.allowed or self.allowed_from)

    @property
    def header_regex(self) -> re.Pattern[str]:
        """The header_pattern compiled (the exact header when there is none): whole header, any case."""
        return re.compile(self.header_pattern or re.escape(self.header), re.IGNORECASE)


class PersonKeySpec(BaseModel):
    """A pseudonymised person key derived at read time from several personal columns (say surname, forename and date
    of birth), for an extract with no person identifier: the columns may still be dropped, the key is kept."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    from_: list[str] = Field(alias="from", min_length=2)  # column names, in the order they are hashed
    description: str | None = None


class UnpivotSpec(BaseModel):
    """A wide table whose headers carry data (the CPS's `Number of Homicide Convictions`, `Percentage of ...`), melted
    to one text row per id and header group before the columns are matched: each header the pattern matches gives
    its named groups as columns, except `stat`, which names the long column its cell goes to (`stat_columns`)."""

    model_config = ConfigDict(extra="forbid")

    id_headers: list[str] = Field(min_length=1)  # kept on every long row (e.g. the area); "" is an empty header cell
    required_headers: list[str] = Field(min_length=1)  # wide headers that identify the file's header row
    header_pattern: str  # a regex with named groups, one of them `stat`
    stat_columns: dict[str, str]  # `stat` group value -> long column (e.g. Number -> count)
    rename_headers: dict[str, str] = {}  # a publisher's mislabelled headers, as they should read

    @model_validator(mode="after")
    def _pattern_has_stat(self) -> UnpivotSpec:
        if "stat" not in re.compile(self.header_pattern).groupindex:
            raise ValueError("unpivot header_pattern needs a named group `stat`")
        return self

    @property
    def key_groups(self) -> list[str]:
        return [g for g in re.compile(self.header_pattern).groupindex if g != "stat"]


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
    # "public": a published statistics file (police.uk, CPS, MoJ, ONS) read through the same reader as an extract.
    publisher: Literal["agency", "public"] = "agency"
    landing_dir: str | None = None  # the landing folder when it is not <agency>/<extract>, e.g. public/police_uk
    # file_pattern: `{month}` is the reporting month, `*` any text (a police.uk force slug).
    file_pattern: str
    # Where a file's reporting month comes from: its name; its folder (<landing>/<YYYY-MM>/<file>, for publishers whose
    # file names carry no year); or nowhere, the periods being in the rows (MoJ time series, ONS lookups).
    period_from: Literal["file_name", "folder", "rows"] = "file_name"
    # What a new file replaces: its month ("month") or the file of the same name in its month ("file": one police.uk
    # file per force and month; one MoJ time series per file name).
    delivery: Literal["month", "file"] = "month"
    unpivot: UnpivotSpec | None = None
    primary_key: list[str]  # empty only for a public file whose rows have no key (duplicates are handled in staging)
    # "month": a key is unique within a reporting month (a snapshot repeats live cases every month);
    # "extract": unique across all months (a flow: a finalisation is counted once, ever).
    primary_key_scope: Literal["month", "extract"] = "month"
    columns: list[ColumnSpec]
    person_keys: list[PersonKeySpec] = []
    # "monthly": a file is expected for every closed month (the monthly schedule waits for it);
    # "irregular": files arrive when there is something to send (a lagged cohort, manual inputs), never awaited.
    cadence: Literal["monthly", "irregular"] = "monthly"
    # The column naming the police force area each row is for, when each force sends its own rows (police and PCC
    # extracts): a month is then delivered for the forces whose rows it holds, so a board publishes a force's figures
    # as that force delivers and waits for the others. Without it one body (a CPS Area, HMCTS, MoJ) sends every area's
    # rows at once, and a delivered month is delivered for every area.
    sender_column: str | None = None
    # The day of the month after its reporting month by which the board expects a monthly extract's file (the
    # data-sharing agreement's date); a file arriving later is late on the scorecard's "Data behind these figures"
    # section. The 10th by default: about the eighth working day, when most agencies' month-end systems have closed the
    # month and still in time for a board pack in the month's second half. Per extract, since an agency whose month
    # closes later (HMCTS's court data) may be agreed a later day.
    expected_delivery_day: int = Field(default=10, ge=1, le=28)
    # A file replaces its month only if whole and plausible (pipelines/lib/delivery_checks.py); otherwise it is refused
    # and the delivery in force stays. More than this share of its rows failing their checks is a fault of the file (a
    # column shifted, another date format), not a few bad rows.
    max_rejected_share: float = Field(default=0.1, ge=0, le=1)
    # Its accepted rows may differ from the median of the months around it (up to 3 either side, at least 2 delivered)
    # by at most this fraction either way, plus chance (4 x sqrt(median)): a file cut short or sent twice is refused.
    # null: no comparison (irregular inputs whose size varies).
    row_count_tolerance: float | None = Field(default=0.5, gt=0)
    # Date (or YYYY-MM text) columns saying which month a row is about (its latest of them): the month most rows state
    # must be the file's month (its name's or folder's), so March's data named April is refused, not published as April.
    period_columns: list[str] = []

    @model_validator(mode="after")
    def _keys_are_columns(self) -> SourceSpec:
        names = [c.name for c in self.columns]
        if self.sender_column is not None and self.sender_column not in names:
            raise ValueError(f"sender_column names unknown column {self.sender_column}")
        if len(set(names + [k.name for k in self.person_keys])) != len(names) + len(self.person_keys):
            raise ValueError("column and person key names must be unique")
        personal = {c.name for c in self.columns if c.personal}
        for person_key in self.person_keys:
            if len(set(person_key.from_)) != len(person_key.from_):
                raise ValueError(f"person key {person_key.name}: a column is named twice")
            if not set(person_key.from_) <= personal:
                raise ValueError(
                    f"person key {person_key.name}: derives only from personal columns, not {sorted(set(person_key.from_) - personal)}"
                )
        for column in self.columns:
            for other in (column.not_before, column.not_after):
                if other is not None and other not in names:
                    raise ValueError(f"column {column.name}: compares with unknown column {other}")
        missing = [k for k in self.primary_key if k not in names]
        if missing:
            raise ValueError(f"primary_key names unknown columns: {missing}")
        if self.period_from == "file_name" and "{month}" not in self.file_pattern:
            raise ValueError(
                "file_pattern must contain {month} (the reporting month, YYYY-MM) when period_from is file_name"
            )
        if self.period_from == "rows" and self.delivery != "file":
            raise ValueError("a file whose periods are in its rows has no month: its delivery is the file")
        if not self.primary_key and self.publisher != "public":
            raise ValueError("an agency extract needs a primary_key")
        for name in self.period_columns:
            period_column = next((c for c in self.columns if c.name == name), None)
            if (
                period_column is None
                or period_column.drop
                or period_column.personal
                or period_column.dtype not in ("date", "str")
            ):
                raise ValueError(f"period column {name}: must be a kept, non-personal date or YYYY-MM text column")
        unplaced = self.header_groups - {c.header for c in self.columns if c.header_pattern is None}
        if unplaced:
            raise ValueError(
                f"header_pattern group(s) {sorted(unplaced)} name no column's header: declare a column with that header to keep the value"
            )
        return self

    @property
    def header_groups(self) -> set[str]:
        """Names of the values the headers carry (header_pattern groups, e.g. vintage): columns of no header."""
        return {group for c in self.columns if c.header_pattern for group in c.header_regex.groupindex}

    @property
    def required_header_patterns(self) -> dict[str, re.Pattern[str]]:
        """The header regexes of required columns matched by pattern (a header row must match each), labelled for
        messages with the pattern and the column."""
        return {
            f"{c.header_pattern} ({c.name})": c.header_regex
            for c in self.columns
            if c.required and c.header_pattern is not None
        }

    @property
    def landing_subdir(self) -> Path:
        """`landing_dir`, else `<agency>/<extract without the agency prefix>`, e.g. police/live_caseload."""
        return (
            Path(self.landing_dir)
            if self.landing_dir
            else Path(self.agency) / self.extract.removeprefix(f"{self.agency}_")
        )

    @property
    def marker_columns(self) -> list[str]:
        """The `<column>_marker` columns the reader adds beside marker-aware kept columns."""
        return [c.name + MARKER_SUFFIX for c in self.kept_columns if c.markers]

    @property
    def required_headers(self) -> set[str]:
        """Normalised headers that must be present: how a header row, and the extract itself, are recognised (for a
        wide file, its own headers: the columns are those of the long rows)."""
        if self.unpivot is not None:
            return {normalise_header(h) for h in self.unpivot.required_headers}
        return {
            normalise_header(c.header)
            for c in self.columns
            if c.required and c.header_pattern is None and c.header not in self.header_groups
        }

    @property
    def kept_columns(self) -> list[ColumnSpec]:
        return [c for c in self.columns if not c.drop]

    @property
    def parsed_columns(self) -> list[ColumnSpec]:
        """Columns parsed and checked at read time: the kept ones and any dropped one a person key is derived from."""
        feeding = {name for k in self.person_keys for name in k.from_}
        return [c for c in self.columns if not c.drop or c.name in feeding]

    def matches_name(self, path: Path) -> bool:
        """Whether a file's name follows the spec's file_pattern."""
        return self._name_match(path) is not None

    def _name_match(self, path: Path) -> re.Match[str] | None:
        regex = (
            re.escape(self.file_pattern)
            .replace(re.escape("{month}"), f"(?P<month>{MONTH_PATTERN})")
            .replace(re.escape("*"), ".+")
        )
        return re.fullmatch(regex, path.name)

    def reporting_month(self, path: Path) -> str | None:
        """The YYYY-MM a file's name (or, for period_from folder, its folder) carries; None if it carries none (a
        misnamed file, a name that disagrees with its folder, or a file whose periods are in its rows)."""
        match = self._name_match(path)
        if match is None or self.period_from == "rows":
            return None
        named = match.groupdict().get("month")
        if self.period_from == "file_name":
            return named
        folder = path.parent.name
        return folder if re.fullmatch(MONTH_PATTERN, folder) and named in (None, folder) else None

    def months_in_name(self, path: Path) -> tuple[set[int], set[int]]:
        """The months (1-12) and years a name states in words where its pattern has no `{month}`: a COPOC file named
        `principal_offence_category_Mar_2018.csv` says March 2018 whatever folder it is put in."""
        if "{month}" in self.file_pattern:
            return set(), set()
        tokens = re.split(r"[^a-z0-9]+", Path(path.name).stem.lower())
        return (
            {MONTH_WORDS[t] for t in tokens if t in MONTH_WORDS},
            {int(t) for t in tokens if re.fullmatch(r"(?:19|20)\d{2}", t)},
        )

    def name_problem(self, path: Path) -> str | None:
        """Why a file cannot be taken for this extract by its name or folder, or None if it can: a name not matching
        the pattern, a folder that is no month, or a month in the name that disagrees with the folder."""
        if self._name_match(path) is None:
            return f"the file name does not match '{self.file_pattern}' for extract '{self.extract}'"
        if self.period_from == "folder" and self.reporting_month(path) is None:
            return f"the file is not in a YYYY-MM folder agreeing with its name (folder '{path.parent.name}')"
        months, years = self.months_in_name(path)
        folder = self.reporting_month(path) if self.period_from == "folder" else None
        if folder is not None and (
            (months and int(folder[5:]) not in months) or (years and int(folder[:4]) not in years)
        ):
            stated = " ".join([*(calendar.month_abbr[m] for m in sorted(months)), *(str(y) for y in sorted(years))])
            where = f" (move it to a {min(years)}-{min(months):02d} folder)" if len(months) == len(years) == 1 else ""
            return f"the file name says {stated} but its folder says {folder}: the month is the folder's, so they must agree{where}"
        return None


@functools.cache
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
