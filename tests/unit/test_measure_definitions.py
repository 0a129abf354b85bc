"""Scorecard definitions: the shipped ones load; a broken one is named by file, measure and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.measure_definitions import load_measure_catalogue
from pipelines.settings import SCORECARD_DEFINITIONS_DIR


def test_shipped_definitions_load() -> None:
    catalogue = load_measure_catalogue(SCORECARD_DEFINITIONS_DIR)
    row = catalogue.filter(catalogue["measure_id"] == "rui_live").row(0, named=True)
    assert row["scorecard_id"] == "wcjb" and row["title"] == "Volume of RUI investigations (Live)"
    assert row["definition_file"] == "wcjb/p2_effective_efficient.yaml"


@pytest.fixture
def definitions_copy(tmp_path: Path) -> Path:
    shutil.copytree(SCORECARD_DEFINITIONS_DIR, tmp_path / "defs")
    return tmp_path / "defs"


def test_bad_field_names_file_measure_and_field(definitions_copy: Path) -> None:
    section = definitions_copy / "wcjb" / "p2_effective_efficient.yaml"
    section.write_text(section.read_text().replace("unit: count", "unit: bananas"))
    with pytest.raises(ConfigurationError) as raised:
        load_measure_catalogue(definitions_copy)
    message = str(raised.value)
    assert "wcjb/p2_effective_efficient.yaml" in message and "measure 'rui_live'" in message and "field 'unit'" in message


def test_unknown_section_is_refused(definitions_copy: Path) -> None:
    section = definitions_copy / "wcjb" / "p2_effective_efficient.yaml"
    section.write_text(section.read_text().replace("section: p2_effective_efficient", "section: p9_nowhere"))
    with pytest.raises(ConfigurationError, match="section 'p9_nowhere' is not declared"):
        load_measure_catalogue(definitions_copy)


def test_not_computed_measure_needs_a_reason(definitions_copy: Path) -> None:
    section = definitions_copy / "wcjb" / "p2_effective_efficient.yaml"
    section.write_text(section.read_text() + "    availability: not_available\n")
    with pytest.raises(ConfigurationError, match="availability_reason"):
        load_measure_catalogue(definitions_copy)
