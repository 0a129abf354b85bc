"""The Lancashire scorecard is the joint performance framework of the Lancashire CJB Strategy 2012-15: one section per
aim, every activity covered in the section of every aim it serves, every measure with a status, and no targets (the
strategy sets none). After the aims, the section every board has, "Data behind these figures" (issue 22), whose
measures serve the joint performance framework activity."""

from __future__ import annotations

import csv

import polars as pl

from pipelines.lib.measure_definitions import load_definitions, load_measure_catalogue
from pipelines.settings import DBT_PROJECT_DIR, SCORECARD_DEFINITIONS_DIR

# Typed from the customer's document (seed 002, nothing is read from it here; "Lancashire Criminal Justice Board
# Strategy 2012 - 2015"): its three aims, in order, and the section each is in.
AIMS = {
    "delivery_of_justice": (
        "Delivery of Justice: Continuously improving joint working to make the criminal justice system in Lancashire "
        "more effective and efficient that meets the needs of victims and witnesses and brings offenders to justice"
    ),
    "reducing_crime_reoffending": "Reducing crime and preventing re-offending",
    "community_confidence": "To improve the confidence of the communities we serve in the Criminal Justice System",
}
# The same document's table: each ACTIVITY with the AIMs the table lists beside it, and the short name the
# scorecard's titles start with ("<short name> - <measure>").
ACTIVITIES = [
    (
        "Maximising effective decision making and promoting the most appropriate disposal decisions when offences "
        "have been committed",
        "Decisions and disposals",
        ["reducing_crime_reoffending", "delivery_of_justice"],
    ),
    (
        "Promoting and ensuring effective case management and progression by working together to deliver compliance "
        "with the Criminal Procedure Rules and focusing on quality and timeliness at all parts of the process",
        "Case management",
        ["delivery_of_justice"],
    ),
    (
        "Supporting the most vulnerable victims, witnesses and offenders through the prosecution process",
        "Vulnerable victims, witnesses and offenders",
        ["delivery_of_justice", "community_confidence"],
    ),
    (
        "Delivering a communication plan that ensures the public and all parties in the criminal justice system "
        "understand how justice is being delivered in Lancashire giving credence to the accountability and "
        "transparency of criminal justice services to the public",
        "Communication",
        ["community_confidence"],
    ),
    (
        "Continually seeking to improve on all existing processes to reduce bureaucracy and deliver efficiencies and "
        "timeliness taking full advantage of available technology and digitisation",
        "Efficiency and timeliness",
        ["delivery_of_justice", "reducing_crime_reoffending"],
    ),
    (
        "Create, analyse and understand a joint performance framework to determine changes required to criminal "
        "justice agency activity",
        "Joint performance framework",
        ["reducing_crime_reoffending", "delivery_of_justice"],
    ),
    (
        "Manage the interdependencies between activities undertaken within and between agencies such as Integrated "
        "Offender Management and Safeguarding",
        "IOM and safeguarding",
        ["reducing_crime_reoffending"],
    ),
]


def _catalogue() -> pl.DataFrame:
    return load_measure_catalogue(SCORECARD_DEFINITIONS_DIR).filter(pl.col("scorecard_id") == "lancashire")


DATA_SECTION = ("data_behind_these_figures", "Data behind these figures")


def _activity(title: str) -> str:
    return title.split(" - ", 1)[0]


def test_the_document_as_typed() -> None:
    assert len(ACTIVITIES) == 7
    assert sum(len(aims) for _, _, aims in ACTIVITIES) == 11  # (activity, aim) pairs in the table
    assert {aim for _, _, aims in ACTIVITIES for aim in aims} == set(AIMS)


def test_one_section_per_aim_in_the_documents_order() -> None:
    sections = _catalogue().select("section_order", "section_id", "section_title").unique().sort("section_order")
    assert list(sections.iter_rows()) == [
        (order, section, title) for order, (section, title) in enumerate([*AIMS.items(), DATA_SECTION], start=1)
    ]


def test_every_activity_is_covered_in_the_section_of_every_aim_it_serves() -> None:
    catalogue = _catalogue().select("section_id", "measure_id", "title")
    data_titles = catalogue.filter(pl.col("section_id") == DATA_SECTION[0])["title"].to_list()
    assert data_titles and {_activity(title) for title in data_titles} == {"Joint performance framework"}
    rows = catalogue.filter(pl.col("section_id") != DATA_SECTION[0]).rows()
    covered = {(section, _activity(title)) for section, _, title in rows}
    missing = [(aim, short) for _, short, aims in ACTIVITIES for aim in aims if (aim, short) not in covered]
    assert missing == []
    # and every measure answers an activity its section's aim lists: none is there for a reason the document lacks
    allowed = {(aim, short) for _, short, aims in ACTIVITIES for aim in aims}
    assert [row for row in rows if (row[0], _activity(row[2])) not in allowed] == []


def test_every_measure_has_a_status_and_uncomputed_ones_say_why() -> None:
    catalogue = _catalogue()
    assert set(catalogue["availability"]) <= {"computed", "manual_input", "not_available"}
    uncomputed = catalogue.filter(pl.col("availability") != "computed")
    assert uncomputed.height > 0 and uncomputed["availability_reason"].str.len_chars().min() > 20
    # what the communication plan aims at, public understanding of how justice is delivered, is in no extract
    assert "public_understanding_of_justice" in uncomputed["measure_id"].to_list()


def test_no_targets_the_2012_document_sets_none() -> None:
    catalogue = _catalogue()
    assert catalogue.select("target", "rag_green", "rag_red").null_count().row(0) == (catalogue.height,) * 3


def test_the_board_is_the_lancashire_police_force_area() -> None:
    (scorecard,) = [s for s, _ in load_definitions(SCORECARD_DEFINITIONS_DIR).scorecards if s.id == "lancashire"]
    with (DBT_PROJECT_DIR / "seeds" / "ref_police_force_areas.csv").open(newline="", encoding="utf-8") as handle:
        names = {row["area_code"]: row["area_name"] for row in csv.DictReader(handle)}
    assert [names.get(code) for code in scorecard.areas] == ["Lancashire"]
