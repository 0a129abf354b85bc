"""The SQL of dbt_project/macros/statistical_tests.sql, rendered with Jinja and run in DuckDB, against intervals and
tests worked by hand (the working is in the comments), so the published columns are right before any data flows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

MACROS = (Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "statistical_tests.sql").read_text()


def _sql(expression: str) -> object:
    """Evaluate one macro call (rendered by Jinja, as dbt does) as a DuckDB expression."""
    rendered = jinja2.Environment().from_string(MACROS + "{{ " + expression + " }}").render().strip()
    with duckdb.connect() as connection:
        return connection.execute(f"select {rendered}").fetchone()[0]


def test_wilson_interval_of_a_survey_share() -> None:
    # 20 of 58, z = 1.96: centre (20 + 1.92) / 61.84 = 0.3545; half-width 1.96 / 61.84 * sqrt(20 * 38 / 58 + 0.96)
    # = 0.03169 * 3.750 = 0.1188, so 0.2356 to 0.4733
    assert _sql("wilson_bound('20', '58', '-')") == pytest.approx(0.2356, abs=5e-4)
    assert _sql("wilson_bound('20', '58', '+')") == pytest.approx(0.4733, abs=5e-4)
    # none of 10: 0 to 1.96^2 / (10 + 1.96^2) * 1 = 3.8416 / 13.8416 = 0.2775 (never below 0)
    assert _sql("wilson_bound('0', '10', '-')") == pytest.approx(0.0, abs=1e-12)
    assert _sql("wilson_bound('0', '10', '+')") == pytest.approx(0.2775, abs=5e-4)
    assert _sql("wilson_bound('0', '0', '+')") is None


def test_byar_poisson_interval_of_a_count() -> None:
    # 10 events: lower 10 * (1 - 1/90 - 1.96 / (3 * sqrt(10)))^3 = 10 * 0.7823^3 = 4.79;
    # upper 11 * (1 - 1/99 + 1.96 / (3 * sqrt(11)))^3 = 11 * 1.1869^3 = 18.39 (exact Poisson: 4.795 to 18.390)
    assert _sql("poisson_bound('10', '-')") == pytest.approx(4.795, abs=0.01)
    assert _sql("poisson_bound('10', '+')") == pytest.approx(18.39, abs=0.01)
    # none: 0 to 1 * (1 - 1/9 + 1.96/3)^3 = 3.67 (exact 3.689)
    assert _sql("poisson_bound('0', '-')") == 0.0 and _sql("poisson_bound('0', '+')") == pytest.approx(3.67, abs=0.01)


def test_newcombe_difference_of_two_shares() -> None:
    # 20/58 against 38/58: Wilson 0.2356-0.4733 and 0.5267-0.7644; d = -0.3103, upper end
    # d + sqrt((0.4733 - 0.3448)^2 + (0.6552 - 0.5267)^2) = -0.3103 + 0.1817 = -0.129 < 0: significant
    assert _sql("shares_differ('20', '58', '38', '58')") is True
    # 20/58 against 29/58: 29/58 is 0.3754-0.6246; d = -0.1552, upper end -0.1552 + sqrt(0.1285^2 + 0.1246^2)
    # = +0.024 > 0 and lower end < 0: not significant
    assert _sql("shares_differ('20', '58', '29', '58')") is False


def test_conditional_test_of_two_counts_per_day() -> None:
    # 26 in a 31-day month against 39 in a 28-day one: under no change the first holds 31/59 = 0.5254 of the 65; its
    # share 26/65 has the Wilson interval 0.2897 to 0.5215, which excludes 0.5254: significant (fewer per day)
    assert _sql("counts_differ('26', '31', '39', '28')") is True
    # 26 against 30: 26/56 has 0.3402 to 0.5930, which holds 0.5254: not significant
    assert _sql("counts_differ('26', '31', '30', '28')") is False
    # the same count over a longer month is no rise: 310 in 31 days against 280 in 28 (10 a day each)
    assert _sql("counts_differ('310', '31', '280', '28')") is False
    assert _sql("counts_differ('0', '31', '0', '28')") is False


@pytest.mark.parametrize(
    ("significant", "difference", "polarity", "word"),
    [
        ("true", "-1", "higher_is_better", "worse"),
        ("true", "-1", "lower_is_better", "better"),
        ("true", "2", "neither", "higher"),
        ("false", "2", "higher_is_better", "not_significant"),
    ],
)
def test_judgement_in_one_word(significant: str, difference: str, polarity: str, word: str) -> None:
    assert _sql(f"judgement('true', 'true', '{significant}', '{difference}', \"'{polarity}'\")") == word
    assert _sql(f"judgement('true', 'false', '{significant}', '{difference}', \"'{polarity}'\")") == "not_tested"
    assert _sql(f"judgement('false', 'true', '{significant}', '{difference}', \"'{polarity}'\")") is None
