"""The board pack in a real browser: headless Chromium loads the page written by `cjs-scorecard report` from the
simulated 24-month warehouse, finds every measure of the catalogue, logs no error, prints to A4 landscape and shows
figures the simulator's truth knows; its judgements are words (better or worse only where the published test says the
difference is significant), arrows say the direction only, its first page fits one printed page and says what
matters, its notes are plain English, a cohort measure names its cohort; a real Dagster materialisation writes every
board's packs."""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.cli import main
from pipelines.defs.publish.board_pack import board_pack
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.board_pack import write_board_pack
from pipelines.lib.errors import ConfigurationError
from tests.conftest import SIMULATED_LAST_MONTH

if TYPE_CHECKING:  # for the annotations; the browser fixture imports selenium itself, when it runs
    from selenium import webdriver
    from selenium.webdriver.remote.webelement import WebElement

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
WILTSHIRE = "E23000038"
# A4 landscape in PDF points (1 pt = 1/72 inch): 297 mm x 210 mm.
A4_LANDSCAPE_POINTS = (841.9, 595.3)
# The packs of the five scorecards for every area their boards have (Durham and Cleveland: the board and its 2 forces).
EXPECTED_PACKS = {
    f"cheshire_E23000006_{SIMULATED_LAST_MONTH}.html",
    f"inspection_{WILTSHIRE}_{SIMULATED_LAST_MONTH}.html",
    f"lancashire_E23000003_{SIMULATED_LAST_MONTH}.html",
    f"wcjb_{WILTSHIRE}_{SIMULATED_LAST_MONTH}.html",
    f"durham_cleveland_durham_cleveland_{SIMULATED_LAST_MONTH}.html",
    f"durham_cleveland_E23000008_{SIMULATED_LAST_MONTH}.html",
    f"durham_cleveland_E23000013_{SIMULATED_LAST_MONTH}.html",
}


@pytest.fixture(scope="module")
def published_db(simulated_warehouse: Path) -> Path:
    return simulated_warehouse / "cjs_scorecard.duckdb"


@pytest.fixture(scope="module")
def pack(simulated_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cjs-scorecard report --scorecard wcjb` with the default area and period (the latest month)."""
    out = tmp_path_factory.mktemp("packs")
    assert main(["report", "--scorecard", "wcjb", "--warehouse", str(simulated_warehouse), "--out", str(out)]) == 0
    return out / f"wcjb_{WILTSHIRE}_{SIMULATED_LAST_MONTH}.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium through the installed chromedriver (never a downloaded one). CI must have it."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = f"{CHROMEDRIVER} or {CHROMIUM} missing: `make browser` (Debian packages chromium, chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1100",
    ]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def loaded(browser: webdriver.Chrome, pack: Path) -> webdriver.Chrome:
    browser.get(pack.as_uri())
    return browser


def _row(browser: webdriver.Chrome, measure_id: str) -> WebElement:
    """A measure's row in its section's table (not the first page's)."""
    return browser.find_element("xpath", f"//section[@class='pack-section']//tr[.//*[@data-measure-id='{measure_id}']]")


def _value_text(browser: webdriver.Chrome, measure_id: str) -> str:
    return _row(browser, measure_id).find_element("css selector", ".value").text


def _pack_month_figures(published_db: Path) -> dict[str, dict]:
    """The published WCJB figures of the pack's month (Wiltshire, December 2024), by measure, as the pack should
    show them: monthly ones for the month, the latest cohort for a cohort measure, the rest by their finest period."""
    with duckdb.connect(str(published_db), read_only=True) as connection:
        rows = connection.sql(
            f"""
            select v.*, m.period_types from scorecard.measure_values v join scorecard.measures m using (scorecard_id, measure_id)
            where v.scorecard_id = 'wcjb' and v.area_code = '{WILTSHIRE}' and v.period_end <= date '2024-12-31'
                and v.period_type = case when contains(m.period_types, 'month') then 'month'
                                         when contains(m.period_types, 'quarter') then 'quarter' else 'r12m' end
                and (v.period_end > date '2024-11-30' or v.period_type = 'quarter' and v.period_end > date '2024-09-30'
                     or v.counting_basis = 'cohort' and v.status <> 'not_available')
            qualify row_number() over (partition by v.measure_id
                                       order by v.counting_basis = 'cohort' and v.status <> 'not_available' desc,
                                                v.period_end desc) = 1
            """
        ).pl()
    return {row["measure_id"]: row for row in rows.iter_rows(named=True)}


def test_page_is_self_contained_and_prints_a4_landscape(pack: Path) -> None:
    page = pack.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""", page)
    assert "@page { size: A4 landscape;" in page


def test_browser_finds_every_measure_without_errors(
    loaded: webdriver.Chrome, published_db: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(published_db), read_only=True) as connection:
        catalogue = {
            r[0]
            for r in connection.execute(
                "select measure_id from scorecard.measures where scorecard_id = 'wcjb'"
            ).fetchall()
        }
    found = [
        element.get_attribute("data-measure-id")
        for element in loaded.find_elements("css selector", "section.pack-section [data-measure-id]")
    ]
    assert len(found) == len(set(found)) and set(found) == catalogue
    with duckdb.connect(str(published_db), read_only=True) as connection:
        (sections,) = connection.execute(
            "select count(distinct section_id) from scorecard.measures where scorecard_id = 'wcjb'"
        ).fetchone()
    # a block per section of the catalogue: WCJB's four priorities and the data section every board now has
    assert len(loaded.find_elements("css selector", "section.pack-section")) == sections == 5
    assert [entry for entry in loaded.get_log("browser") if entry["level"] == "SEVERE"] == []

    screenshot = tmp_path / "board_pack.png"
    assert loaded.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and screenshot.stat().st_size > 20_000


def test_print_to_pdf_is_a4_landscape(loaded: webdriver.Chrome, tmp_path: Path) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # cm: A4 (a WebDriver print ignores the page's @page size)
    options.orientation = "landscape"
    options.background = True
    pdf = base64.b64decode(loaded.print_page(options))
    (tmp_path / "board_pack.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert pdf.startswith(b"%PDF") and len(boxes) >= 2  # several pages, every one A4 landscape
    for width, height in boxes:
        assert (float(width), float(height)) == pytest.approx(A4_LANDSCAPE_POINTS, abs=1.0)


def test_figures_read_as_the_truth_says(loaded: webdriver.Chrome, simulated_landing: Path) -> None:
    """A count and a percentage as the simulator's truth has them for the pack's month, formatted by hand."""
    truth = pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet").filter(
        pl.col("area_code") == WILTSHIRE, pl.col("period_type") == "month", pl.col("period_start") == date(2024, 12, 1)
    )
    people = truth.filter(pl.col("measure_id") == "people_convicted")["value"].item()
    satisfaction = truth.filter(pl.col("measure_id") == "victim_satisfaction_pct")["value"].item()
    assert _value_text(loaded, "people_convicted") == f"{people:,.0f}"
    assert _value_text(loaded, "victim_satisfaction_pct") == f"{satisfaction:.1f}%"
    assert "no target" in _row(loaded, "people_convicted").text


def test_withheld_figure_shows_its_marker_not_a_number(
    browser: webdriver.Chrome, published_db: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(published_db), read_only=True) as connection:
        measure_id, period_start = connection.execute(
            """
            select measure_id, max(period_start) from scorecard.measure_values
            where scorecard_id = 'wcjb' and area_code = 'E23000038' and period_type = 'month' and status = 'suppressed'
            group by measure_id order by 2 desc, 1 limit 1
            """
        ).fetchall()[0]
    browser.get(write_board_pack(published_db, "wcjb", WILTSHIRE, f"{period_start:%Y-%m}", tmp_path).as_uri())
    assert _value_text(browser, measure_id) == "[c]"
    assert (
        _row(browser, measure_id).find_element("css selector", "[data-status]").get_attribute("data-status")
        == "suppressed"
    )
    assert "CI" not in _row(browser, measure_id).text  # no interval around a withheld figure


def test_rag_rating_reads_in_words_on_govuk_colours(
    browser: webdriver.Chrome, published_db: Path, tmp_path: Path
) -> None:
    """A planted red rating (the demo's boards set no targets) reads "Red" on GOV.UK's red, as in the workbook."""
    planted = tmp_path / published_db.name
    shutil.copy(published_db, planted)
    with duckdb.connect(str(planted)) as connection:
        updated = connection.execute(
            """
            update scorecard.measure_values set rag = 'red'
            where scorecard_id = 'wcjb' and measure_id = 'people_convicted' and area_code = ? and period_type = 'month'
                and period_end = ?
            """,
            [WILTSHIRE, date(2024, 12, 31)],
        ).fetchone()[0]
    assert updated == 1
    browser.get(write_board_pack(planted, "wcjb", WILTSHIRE, SIMULATED_LAST_MONTH, tmp_path / "packs").as_uri())
    rag = _row(browser, "people_convicted").find_element("css selector", ".rag")
    assert rag.text == "Red"
    assert rag.value_of_css_property("background-color") == "rgba(212, 53, 28, 1)"  # GOV.UK red #d4351c
    assert rag.value_of_css_property("color") == "rgba(255, 255, 255, 1)"


# What each published judgement reads as, over time and against another place (written here, apart from the code).
WORDS_OVER_TIME = {
    "better": "better",
    "worse": "worse",
    "higher": "higher",
    "lower": "lower",
    "not_significant": "no real change",
    "not_tested": "not tested",
}
WORDS_AGAINST_OTHERS = WORDS_OVER_TIME | {"not_significant": "similar"}
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_judgements_are_words_and_arrows_say_the_direction_only(loaded: webdriver.Chrome, published_db: Path) -> None:
    """Each comparison's word is the published test's (better or worse only where significant), beside an arrow for
    the direction only; the key no longer says an arrow is an improvement."""
    figures = _pack_month_figures(published_db)
    significant = 0
    for measure_id, figure in figures.items():
        row = _row(loaded, measure_id)
        cells = row.find_elements("css selector", "td")
        change, last_year, national, peers = cells[3], cells[4], cells[5], cells[6]
        for cell, column, words in [
            (change, "change_judgement", WORDS_OVER_TIME),
            (last_year, "last_year_judgement", WORDS_OVER_TIME),
            (national, "national_judgement", WORDS_AGAINST_OTHERS),
            (peers, "peer_judgement", WORDS_AGAINST_OTHERS),
        ]:
            shown = [j.text for j in cell.find_elements("css selector", ".judgement")]
            assert shown == ([words[figure[column]]] if figure[column] else []), (measure_id, column)
            significant += figure[column] in ("better", "worse", "higher", "lower")
        if figure["change"] is not None:
            arrow = change.find_element("css selector", ".arrow")
            expected = "up" if figure["change"] > 0 else "down" if figure["change"] < 0 else "flat"
            if figure["direction_of_travel"] == "stable":
                expected = "flat"
            assert arrow.get_attribute("data-direction") == expected, measure_id
            assert arrow.value_of_css_property("color") == "rgba(68, 68, 68, 1)"  # one colour: direction, not judgement
    assert significant >= 1  # the month has a real test to show
    assert "improving" not in loaded.find_element("css selector", "body").text


def test_figures_carry_their_interval_and_base(loaded: webdriver.Chrome, published_db: Path) -> None:
    """A survey share reads with its Wilson interval and base as scipy computes them; an average has its base only."""
    from scipy import stats

    figures = _pack_month_figures(published_db)
    survey = figures["victim_satisfaction_pct"]
    interval = stats.binomtest(round(survey["numerator"]), round(survey["denominator"])).proportion_ci(0.95, "wilson")
    expected = f"95% CI {100 * interval.low:.1f}% to {100 * interval.high:.1f}%, n = {round(survey['denominator'])}"
    assert _row(loaded, "victim_satisfaction_pct").find_element("css selector", ".interval").text == expected
    days = figures["precharge_timeliness_cps_days"]
    assert _row(loaded, "precharge_timeliness_cps_days").find_element("css selector", ".interval").text == (
        f"n = {round(days['denominator'])}"
    )


def test_first_page_fits_one_printed_page_and_says_what_matters(loaded: webdriver.Chrome, published_db: Path) -> None:
    """Printed on A4 landscape (277 x 192 mm inside the margins), the header and the summary fill the first page and
    no more: headline figures, the significant changes, what is missing and why, contact and next update."""
    summary = loaded.find_element("css selector", "section.summary")
    for heading in [
        "At a glance",
        "Headline figures",
        "Significant changes and differences",
        "What is missing and why",
        "Contact and next update",
    ]:
        assert heading in summary.text
    header = loaded.find_element("css selector", "header").text
    assert not UUID.search(header) and re.search(r"published \d{1,2} [A-Z][a-z]+ \d{4}", header)
    assert "next update by" in header
    figures = _pack_month_figures(published_db)
    listed = {
        li.get_attribute("data-measure-id")
        for li in summary.find_elements("css selector", "ul.significant li[data-measure-id]")
    }
    significant = {
        m
        for m, f in figures.items()
        if {f[c] for c in ["change_judgement", "last_year_judgement", "national_judgement", "peer_judgement"]}
        & {"better", "worse", "higher", "lower"}
    }
    assert listed and listed <= significant and (len(listed) == min(len(significant), 8))
    missing = summary.find_element("css selector", "ul.missing").text
    assert "Withheld to protect confidentiality" in missing and "Not collected" in missing
    assert summary.value_of_css_property("break-after") == "page"
    millimetre = 96 / 25.4
    try:
        loaded.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        loaded.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": round(279 * millimetre),
                "height": round(192 * millimetre),
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        bottom = loaded.execute_script(
            "return document.querySelector('section.summary').getBoundingClientRect().bottom"
        )
        assert 400 < bottom <= 192 * millimetre
    finally:
        loaded.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        loaded.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_notes_and_first_page_are_plain_english(loaded: webdriver.Chrome) -> None:
    """No internal name (extract, measure id, counting basis, seed) in what a board member reads."""
    for selector in ["section.summary", "section.notes"]:
        text = loaded.find_element("css selector", selector).text
        assert IDENTIFIER.findall(text) == [], selector
    notes = loaded.find_element("css selector", "section.notes").text
    assert "Wilson score interval" in notes and "Police recorded crimes and outcomes" in notes


def test_cohort_measure_shows_its_cohort(loaded: webdriver.Chrome, published_db: Path) -> None:
    """Proven reoffending is published about 19 months after its cohort: the pack shows the latest cohort with a
    figure, named as the cohort, not [x] under December's heading."""
    cohort = _pack_month_figures(published_db)["proven_reoffending_rate_adult"]
    assert cohort["status"] == "ok" and cohort["period_end"] < date(2024, 1, 1)
    row = _row(loaded, "proven_reoffending_rate_adult")
    start = cohort["period_start"]
    assert (
        row.find_element("css selector", ".period").text
        == f"cohort of {start:%b}-{date(start.year, start.month + 2, 1):%b %Y}"
    )
    assert _value_text(loaded, "proven_reoffending_rate_adult") == f"{cohort['value']:.1f}%"


def test_pack_and_workbook_never_disagree(
    loaded: webdriver.Chrome, simulated_warehouse: Path, published_db: Path
) -> None:
    """The refresh's workbook and the pack of the same month show every measure alike: the figure (or its marker),
    its period and the word for its change; the cohort measure included."""
    import openpyxl

    from pipelines.lib.figure_presentation import format_figure

    with duckdb.connect(str(published_db), read_only=True) as connection:
        units = dict(
            connection.execute("select measure_id, unit from scorecard.measures where scorecard_id = 'wcjb'").fetchall()
        )
    workbook = openpyxl.load_workbook(simulated_warehouse / "excel" / "wcjb.xlsx")
    compared = 0
    for sheet in workbook.worksheets[2:-3]:  # the section sheets, between Contents and Trends
        table = next(iter(sheet.tables.values()))
        rows = list(sheet[table.ref])
        header = [cell.value for cell in rows[0]]
        for cells in rows[1:]:
            row = dict(zip(header, (cell.value for cell in cells), strict=True))
            measure_id, value = row["Measure id"], row["Value"]
            pack_row = _row(loaded, measure_id)
            assert _value_text(loaded, measure_id) == (
                value if isinstance(value, str) else format_figure(value, units[measure_id])
            )
            periods = pack_row.find_elements("css selector", ".period")
            if periods:
                assert periods[0].text == row["Period"], measure_id
            words = pack_row.find_elements("css selector", "td")[3].find_elements("css selector", ".judgement")
            assert (words[0].text if words else "[x]") == row["Since last period"], measure_id
            compared += 1
    assert compared == len(units)


def test_missing_comparators_say_why(loaded: webdriver.Chrome) -> None:
    """Where no England and Wales or peer figure exists, the cell says so (and why, on hover), never a bare dash."""
    cells = loaded.find_elements("css selector", "section.pack-section .no-comparator")
    assert cells and {c.text for c in cells} <= {"none published", "not yet published", "–"}
    assert all(c.get_attribute("title") for c in cells)


@pytest.mark.parametrize(
    ("scorecard", "area", "period", "names"),
    [
        ("no_such_board", None, None, "cheshire, durham_cleveland, inspection, lancashire, wcjb"),
        ("wcjb", "E23000006", SIMULATED_LAST_MONTH, "its areas: E23000038"),
        ("wcjb", WILTSHIRE, "2030-01", "months published: 2023-01 to 2024-12"),
        ("wcjb", WILTSHIRE, "2024-13", "YYYY-MM"),
    ],
)
def test_unknown_selection_names_what_exists(
    published_db: Path, tmp_path: Path, scorecard: str, area: str | None, period: str | None, names: str
) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(names)):
        write_board_pack(published_db, scorecard, area, period, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_dagster_materialises_every_boards_packs(simulated_warehouse: Path, published_db: Path, tmp_path: Path) -> None:
    """The refresh wrote every board's packs; the asset alone, over a copy of its upstream output, writes them again."""
    assert {p.name for p in (simulated_warehouse / "reports").iterdir()} == EXPECTED_PACKS
    shutil.copy(published_db, tmp_path / published_db.name)
    result = dg.materialize(
        [board_pack],
        resources={"warehouse": WarehouseResource(sources_dir=str(tmp_path), warehouse_dir=str(tmp_path))},
        run_config={"ops": {"published__board_pack": {"config": {"period": SIMULATED_LAST_MONTH}}}},
    )
    assert result.success
    metadata = result.asset_materializations_for_node("published__board_pack")[0].metadata
    assert {Path(p).name for p in metadata["packs"].value} == EXPECTED_PACKS
    assert {p.name for p in (tmp_path / "reports").iterdir()} == EXPECTED_PACKS
