"""The simulator's lookalikes of the public releases: exact headers and line endings of the real files, National = the
sum of the areas, simulated-area figures equal to counts of the extracts the same run delivers (an independent path:
the CPS finalisations CSV and the HMCTS hearings workbook, read back with polars), suppression markers, and the
planted disagreement recorded in the truth. One small run (Wiltshire, 2024-01..2024-06, scale 0.5) shared by the tests.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.simulator.extracts.public_stats import PublicDisagreement
from pipelines.lib.simulator.run import simulate

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_data"  # real public files (README: source, licence)
COPOC_REAL = REAL / "cps_copoc" / "principal_offence_category_december_2016.csv"
STREET_REAL = REAL / "police_uk" / "2024-01-dorset-street.csv"
SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "ref_ho_offence_codes.csv"
PLANT = PublicDisagreement("cps_copoc", "wiltshire", "2024-03", "Number of Theft And Handling Convictions", 7)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    simulate(["wiltshire"], "2024-01", "2024-06", out, seed=5, scale=0.5, public_disagreement=PLANT)
    return out


@pytest.fixture(scope="module")
def figures(landing: Path) -> pl.DataFrame:
    return pl.read_parquet(landing / "_truth" / "public_figures.parquet")


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _number(cell: str) -> int:
    return int(cell.replace(",", ""))


def _first_line(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0] + b"\n"


def test_headers_and_line_endings_match_the_real_files(landing: Path) -> None:
    street = landing / "public" / "police_uk" / "2024-02" / "2024-02-wiltshire-street.csv"
    copoc = landing / "public" / "cps_copoc" / "2024-02" / "principal_offence_category_Feb.csv"
    assert _first_line(street) == _first_line(STREET_REAL)  # byte-identical, CRLF
    assert _first_line(copoc) == _first_line(COPOC_REAL)  # byte-identical, LF
    assert street.read_bytes().count(b"\r\n") == street.read_bytes().count(b"\n")
    assert b"\r" not in copoc.read_bytes()
    # the same 43 row labels in the same order as the real file (National first, real spellings)
    assert [r[0] for r in _rows(copoc)] == [r[0] for r in _rows(COPOC_REAL)]
    outcomes = _rows(landing / "public" / "police_uk" / "2024-02" / "2024-02-wiltshire-outcomes.csv")
    assert outcomes[0] == _rows(STREET_REAL)[0][:9] + ["Outcome type"]


def test_police_uk_street_file(landing: Path, figures: pl.DataFrame) -> None:
    rows = _rows(landing / "public" / "police_uk" / "2024-03" / "2024-03-wiltshire-street.csv")
    body = rows[1:]
    assert {len(r) for r in body} == {12}
    assert {(r[1], r[2], r[3]) for r in body} == {("2024-03", "Wiltshire Police", "Wiltshire Police")}
    asb = [r for r in body if r[9] == "Anti-social behaviour"]
    crimes = [r for r in body if r[9] != "Anti-social behaviour"]
    assert asb and all(r[0] == "" and r[10] == "" for r in asb)
    assert all(len(r[0]) == 64 and int(r[0], 16) >= 0 and r[10] for r in crimes)
    assert any(r[6] == "No Location" and r[4] == r[5] == r[7] == r[8] == "" for r in body)
    # crimes by crime type = crimes recorded in the month by the police crimes extract, mapped by offence group
    extract = pl.read_csv(landing / "police" / "crimes" / "police_crimes_2024-03.csv", infer_schema=False).filter(
        pl.col("Record Status") == "New"
    )
    assert len(crimes) == extract.height
    truth = figures.filter(pl.col("release") == "police_uk_street", pl.col("period") == "2024-03")
    counted = pl.DataFrame({"category": [r[9] for r in body]}).group_by("category").len()
    joined = truth.join(counted, on="category", how="full")
    assert (joined["value"] == joined["len"].cast(pl.Float64)).all()
    # ... each crime typed by its HO offence code through the seed's police_uk_crime_type column (the one mapping)
    with SEED.open(newline="", encoding="utf-8") as handle:
        crime_type = {row["offence_code"]: row["police_uk_crime_type"] for row in csv.DictReader(handle)}
    assert Counter(crime_type[code] for code in extract["HO Offence Code"]) == Counter(r[9] for r in crimes)


def test_copoc_national_is_the_sum_and_wiltshire_is_the_cps_extract(landing: Path, figures: pl.DataFrame) -> None:
    for month, abbr in (("2024-02", "Feb"), ("2024-03", "Mar")):
        rows = _rows(landing / "public" / "cps_copoc" / month / f"principal_offence_category_{abbr}.csv")
        header, national, areas = rows[0], rows[1], rows[2:]
        assert len(header) == 51 and {len(r) for r in rows} == {51}
        for i, name in enumerate(header):
            if name.startswith("Number"):
                assert _number(national[i]) == sum(_number(r[i]) for r in areas), (month, name)
        wilts = dict(zip(header, next(r for r in areas if r[0] == "Wiltshire"), strict=True))
        fin = pl.read_csv(landing / "cps" / "finalisations" / f"cps_finalisations_{month}.csv", infer_schema=False)
        counts = fin.group_by("PRINCIPAL_OFFENCE_CATEGORY", "OUTCOME_CATEGORY").len()
        for r in counts.iter_rows(named=True):
            what = "Convictions" if r["OUTCOME_CATEGORY"] == "Conviction" else "Unsuccessful"
            name = f"Number of {r['PRINCIPAL_OFFENCE_CATEGORY']} {what}"
            planted = PLANT.shift if (month == PLANT.period and name == PLANT.figure) else 0
            assert _number(wilts[name]) == r["len"] + planted, (month, name)
        assert sum(
            _number(v) for k, v in wilts.items() if k.startswith("Number") and "Admin" not in k
        ) == fin.height + (PLANT.shift if month == PLANT.period else 0)
        assert (
            _number(wilts["Number of Admin Finalised Unsuccessful"])
            == fin.filter(pl.col("OUTCOME") == "Administratively finalised").height
        )
        # percentages from the counts, one decimal; '-' (or '0' for Robbery) where nothing was finalised
        theft_c, theft_u = (
            _number(wilts[f"Number of Theft And Handling {w}"]) for w in ("Convictions", "Unsuccessful")
        )
        assert wilts["Percentage of Theft And Handling Convictions"] == f"{100 * theft_c / (theft_c + theft_u):.1f}%"
        for cat, marker in (("Homicide", "-"), ("Robbery", "0")):
            if _number(wilts[f"Number of {cat} Convictions"]) + _number(wilts[f"Number of {cat} Unsuccessful"]) == 0:
                assert wilts[f"Percentage of {cat} Convictions"] == marker
    copoc = figures.filter(pl.col("release") == "cps_copoc")
    assert set(copoc.filter(pl.col("geography") == "Wiltshire")["source"]) == {"simulated", "planted"}
    assert set(copoc.filter(pl.col("geography") == "Dorset")["source"]) == {"filler"}


def test_planted_disagreement_is_recorded(figures: pl.DataFrame) -> None:
    planted = figures.filter(pl.col("source") == "planted")
    assert planted.height == 1
    row = planted.row(0, named=True)
    assert (row["release"], row["geography"], row["period"], row["figure"]) == (
        "cps_copoc",
        "Wiltshire",
        PLANT.period,
        PLANT.figure,
    )
    assert row["value"] == row["true_value"] + PLANT.shift


def test_a_disagreement_matching_nothing_is_refused(tmp_path: Path) -> None:
    wrong = PublicDisagreement("cps_copoc", "wiltshire", "2024-03", "Number of Theft Convictions", 1)
    with pytest.raises(ValueError, match="matches 0 published figures"):
        simulate(["wiltshire"], "2024-03", "2024-03", tmp_path, seed=5, scale=0.05, public_disagreement=wrong)


def test_trial_effectiveness_counts_the_hearings_extract(landing: Path) -> None:
    rows = _rows(landing / "public" / "moj_trial_effectiveness" / "trial_effectiveness.csv")
    header, body = rows[0], rows[1:]
    assert header == [
        "Year",
        "Quarter",
        "Court type",
        "Region",
        "LCJB area",
        "Police force area",
        "trial_effectiveness",
        "Reason",
        "Trials",
    ]
    hearings = pl.concat(
        [pl.read_excel(landing / "hmcts" / "hearings" / f"hmcts_hearings_2024-0{m}.xlsx") for m in (4, 5, 6)]
    )
    wilts = [r for r in body if r[5] == "Wiltshire" and r[:2] == ["2024", "Q2"] and r[7] == "-"]
    for court, extract_court in (("Magistrates' courts", "Magistrates' Court"), ("Crown Court", "Crown Court")):
        for label in ("1: Effective trials", "2: Cracked trials", "3: Ineffective trials"):
            expected = hearings.filter(
                pl.col("Court Type") == extract_court, pl.col("Trial Effectiveness") == label
            ).height
            cell = next(r[8] for r in wilts if r[2] == court and r[6] == label)
            assert cell == ("[c]" if 0 < expected <= 2 else str(expected)), (court, label)
    assert {r[6] for r in body} == {
        "1: Effective trials",
        "2: Cracked trials",
        "3: Ineffective trials",
        "4. Vacated trial",
    }
    assert any(r[7].startswith("0") and ". Ineffective reason: " in r[7] for r in body)
    assert any(r[8] == "[c]" for r in body)  # small counts suppressed


def test_timeliness_levels_and_markers(landing: Path, figures: pl.DataFrame) -> None:
    rows = _rows(landing / "public" / "moj_court_timeliness" / "court_timeliness.csv")
    header, body = rows[0], rows[1:]
    assert (
        header[:8]
        == ["Year", "Period", "Court type", "National", "Region", "LCJB area", "LJA or Court name", "Defendants"]
        and len(header) == 16
    )
    assert {r[1] for r in body} == {"2024 Q1 (Jan-Mar)", "2024 Q2 (Apr-Jun)"}
    national = [r for r in body if r[3] != "-"]
    assert national and all(r[4:7] == ["-", "-", "-"] for r in national)
    lcjb = next(
        r
        for r in body
        if r[5] == "Wiltshire LCJB" and r[6] == "-" and r[2] == "All courts" and r[1].startswith("2024 Q1")
    )
    courts = [r for r in body if r[5] == "Wiltshire LCJB" and r[6] != "-" and r[1].startswith("2024 Q1")]
    assert {r[2] for r in courts} == {"Magistrates' courts", "Crown Court"}
    assert int(lcjb[7]) == sum(int(r[7]) for r in courts if r[7] != "[c]")  # no court of 1-2 defendants here
    # defendants counted on completion: the CPS finalisations of the quarter (the same defendant-cases)
    fin = pl.concat(
        [
            pl.read_csv(landing / "cps" / "finalisations" / f"cps_finalisations_2024-0{m}.csv", infer_schema=False)
            for m in (1, 2, 3)
        ]
    )
    assert int(lcjb[7]) == fin.height
    t = figures.filter(pl.col("release") == "moj_court_timeliness", pl.col("geography") == "Wiltshire LCJB")
    assert set(t["source"]) == {"simulated"}
