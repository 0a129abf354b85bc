"""Load and validate the declarative scorecard definitions in scorecard_definitions/.

Validation happens at load time so a typo in a YAML file stops the refresh with the file, measure and field named,
instead of publishing a scorecard with a silently missing measure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines.lib.errors import ConfigurationError

Identifier = Field(pattern=r"^[a-z][a-z0-9_]*$")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Identifier
    title: str


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Identifier
    title: str
    source: str
    sections: list[Section]


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")
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

    @model_validator(mode="after")
    def _reason_when_not_computed(self) -> "Measure":
        if self.availability != "computed" and not self.availability_reason:
            raise ValueError("availability_reason is required when availability is not 'computed'")
        return self


class SectionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scorecard: str
    section: str
    measures: list[Measure]


def _parse(model: type[BaseModel], path: Path, root: Path) -> BaseModel:
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path.relative_to(root)}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lines = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ".".join(str(p) for p in loc)
            if len(loc) >= 2 and loc[0] == "measures" and isinstance(loc[1], int):
                measures = raw.get("measures") or []
                measure_id = measures[loc[1]].get("id", f"#{loc[1] + 1}") if loc[1] < len(measures) and isinstance(measures[loc[1]], dict) else f"#{loc[1] + 1}"
                field = ".".join(str(p) for p in loc[2:]) or "(measure)"
                where = f"measure '{measure_id}', field '{field}'"
            else:
                where = f"field '{where}'"
            lines.append(f"{where}: {error['msg']}")
        raise ConfigurationError(f"{path.relative_to(root)}: " + "; ".join(lines)) from exc


def load_measure_catalogue(root: Path) -> pl.DataFrame:
    """Every measure of every scorecard under root, one row each, with its scorecard and section."""
    rows = []
    for scorecard_file in sorted(root.glob("*/scorecard.yaml")):
        scorecard = _parse(Scorecard, scorecard_file, root)
        sections = {s.id: s for s in scorecard.sections}
        for section_file in sorted(p for p in scorecard_file.parent.glob("*.yaml") if p.name != "scorecard.yaml"):
            parsed = _parse(SectionFile, section_file, root)
            relative = section_file.relative_to(root)
            if parsed.scorecard != scorecard.id:
                raise ConfigurationError(f"{relative}: scorecard '{parsed.scorecard}' is not '{scorecard.id}' of its folder")
            if parsed.section not in sections:
                raise ConfigurationError(f"{relative}: section '{parsed.section}' is not declared in {scorecard_file.relative_to(root)}")
            for measure in parsed.measures:
                rows.append(
                    {
                        "scorecard_id": scorecard.id,
                        "scorecard_title": scorecard.title,
                        "section_id": parsed.section,
                        "section_title": sections[parsed.section].title,
                        "measure_id": measure.id,
                        "title": measure.title,
                        "description": " ".join(measure.description.split()),
                        "owner_agency": measure.owner_agency,
                        "source_agencies": ",".join(measure.source_agencies),
                        "source_extracts": ",".join(measure.source_extracts),
                        "counting_basis": measure.counting_basis,
                        "unit": measure.unit,
                        "frequency": measure.frequency,
                        "polarity": measure.polarity,
                        "availability": measure.availability,
                        "availability_reason": measure.availability_reason,
                        "definition_file": str(relative),
                    }
                )
    catalogue = pl.DataFrame(rows)
    duplicated = catalogue.filter(pl.struct("scorecard_id", "measure_id").is_duplicated()) if rows else catalogue
    if duplicated.height:
        raise ConfigurationError(f"measure ids defined twice: {sorted(set(duplicated['measure_id']))}")
    if not rows:
        raise ConfigurationError(f"no scorecard definitions found under {root}")
    return catalogue
