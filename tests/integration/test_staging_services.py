"""The probation, MoJ and PCC staging models (and the population seed) against the simulator's truth.

The session's simulated warehouse (Wiltshire, 2023-01..2024-12, seed 7: the whole refresh, real dbt over DuckDB) is
read here: each figure is computed in SQL from one staging model and compared with `_truth/measure_values.parquet`,
exactly (counts, numerators, denominators and the rates' floats), except the stop-search ratio, whose residents come
from the ref_area_population seed and are compared to 1e-9.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

WILTSHIRE = "E23000038"

# truth measure -> SQL over a staging model: (period_start, value, numerator, denominator); counts have no num/den
FIGURES = {
    "community_orders_made": """
        select sentence_month, count(*), null, null
        from staging.stg_probation__community_orders where area_code = $area group by all""",
    "mhtr_ordered": """
        select sentence_month, count(*) filter (where has_mhtr), null, null
        from staging.stg_probation__community_orders where area_code = $area group by all""",
    "drug_alcohol_requirements": """
        select sentence_month, count(*) filter (where has_drr or has_atr), null, null
        from staging.stg_probation__community_orders where area_code = $area group by all""",
    "proven_reoffending_rate_adult": """
        select cohort_start, sum(reoffenders) / sum(offenders) * 100, sum(reoffenders), sum(offenders)
        from staging.stg_moj__proven_reoffending where area_code = $area and age_group = 'adult' group by all""",
    "victim_referrals": """
        select referral_month, count(*), null, null
        from staging.stg_pcc__victim_referrals where area_code = $area group by all""",
    "vcop_compliance_rate": """
        select audit_month, count(*) filter (where is_compliant) / count(*) * 100,
               count(*) filter (where is_compliant), count(*)
        from staging.stg_pcc__vcop_audit where area_code = $area group by all""",
    "victim_satisfaction_pct": """
        select response_month, count(*) filter (where is_satisfied) / count(*) * 100,
               count(*) filter (where is_satisfied), count(*)
        from staging.stg_pcc__victim_survey where area_code = $area group by all""",
    "public_confidence_pct": """
        select response_month, count(*) filter (where is_excellent_or_good) / count(*) * 100,
               count(*) filter (where is_excellent_or_good), count(*)
        from staging.stg_pcc__public_confidence where area_code = $area group by all""",
}
# periods each figure has in the 24 reporting months: one per month, or one per cohort delivered
# (the Jan-Mar 2023 cohort, delivered in 2024-10)
PERIODS = {measure: 24 for measure in FIGURES} | {"proven_reoffending_rate_adult": 5}


def build_db(warehouse: Path) -> str:
    return str(warehouse / "build" / "cjs_build.duckdb")


def truth(landing: Path, measure: str) -> dict[date, tuple]:
    frame = pl.read_parquet(landing / "_truth" / "measure_values.parquet").filter(
        (pl.col("measure_id") == measure) & (pl.col("area_code") == WILTSHIRE)
    )
    return {
        row["period_start"]: (row["value"], row["numerator"], row["denominator"]) for row in frame.iter_rows(named=True)
    }


def as_floats(row: tuple) -> tuple:
    return tuple(None if value is None else float(value) for value in row)


@pytest.mark.parametrize("measure", list(FIGURES))
def test_staging_figure_equals_truth_exactly(simulated_landing: Path, simulated_warehouse: Path, measure: str) -> None:
    expected = truth(simulated_landing, measure)
    with duckdb.connect(build_db(simulated_warehouse), read_only=True) as connection:
        rows = connection.execute(FIGURES[measure], {"area": WILTSHIRE}).fetchall()
    staged = {row[0]: as_floats(row[1:]) for row in rows}
    assert len(expected) == PERIODS[measure]
    assert staged == expected


def test_reoffending_cohort_dates_parsed(simulated_landing: Path, simulated_warehouse: Path) -> None:
    """Each cohort label ("Jan to Mar 2023") parses to the truth's cohort quarter, delivered 19 months after its end."""
    with duckdb.connect(build_db(simulated_warehouse), read_only=True) as connection:
        cohorts = connection.sql(
            "select distinct cohort_period, cohort_start, cohort_end, _reporting_month"
            " from staging.stg_moj__proven_reoffending order by cohort_start"
        ).fetchall()
    assert [c[1] for c in cohorts] == sorted(truth(simulated_landing, "proven_reoffending_rate_adult"))
    assert cohorts[-1] == ("Jan to Mar 2023", date(2023, 1, 1), date(2023, 3, 31), "2024-10")


def test_stop_search_ratio_from_population_seed(simulated_landing: Path, simulated_warehouse: Path) -> None:
    """Searches per 1,000 Black residents / per 1,000 White residents over the 12 months (officer-defined ethnicity),
    with the residents of ref_area_population: the simulator's figure to 1e-9."""
    (_, numerator, denominator) = truth(simulated_landing, "stop_search_black_white_ratio")[date(2024, 1, 1)]
    with duckdb.connect(build_db(simulated_warehouse), read_only=True) as connection:
        black, white = connection.execute(
            """
            select
                count(*) filter (where searches.officer_defined_ethnicity = 'Black')
                    / (population.population_black / 1000),
                count(*) filter (where searches.officer_defined_ethnicity = 'White')
                    / (population.population_white / 1000)
            from staging.stg_police__stop_search as searches
            inner join reference.ref_force_name_aliases as aliases
                on searches.force_name = aliases.force_name and aliases.covers_several_areas = 'N'
            inner join reference.ref_area_population as population
                on aliases.area_code = population.area_code
            where population.area_code = ? and searches.search_date between date '2024-01-01' and date '2024-12-31'
            group by population.population_black, population.population_white
            """,
            [WILTSHIRE],
        ).fetchone()
    assert math.isclose(black, numerator, rel_tol=1e-9, abs_tol=0)
    assert math.isclose(white, denominator, rel_tol=1e-9, abs_tol=0)
    assert math.isclose(black / white, numerator / denominator, rel_tol=1e-9, abs_tol=0)


@pytest.mark.parametrize(
    ("model", "column", "field"),
    [
        ("stg_police__crimes", "offence_code", "offence_code"),
        ("stg_police__arrests", "offence_code", "offence_code"),
        ("stg_police__live_caseload", "offence_code", "offence_code"),
        ("stg_police__precharge", "offence_code", "offence_code"),
        ("stg_police__crimes", "offence_group", "police_offence_group"),
        ("stg_pcc__victim_survey", "offence_group", "police_offence_group"),
    ],
)
def test_every_offence_code_maps(simulated_warehouse: Path, model: str, column: str, field: str) -> None:
    """The dbt relationships tests to ref_ho_offence_codes only warn (a real extract may carry codes the simulator's
    list lacks); on the simulator's data every code and group must map."""
    with duckdb.connect(build_db(simulated_warehouse), read_only=True) as connection:
        (values,) = connection.sql(f"select count(distinct {column}) from staging.{model}").fetchall()[0]
        unmapped = connection.sql(
            f"""
            select distinct staged.{column}
            from staging.{model} as staged
            anti join reference.ref_ho_offence_codes as codes on staged.{column} = codes.{field}
            where staged.{column} is not null
            """
        ).fetchall()
    assert values > 0
    assert unmapped == []
