"""Internal names in plain English, against hand-written sentences: extract and measure names, months as words, a
list of undelivered months as ranges, sources and counting bases."""

from __future__ import annotations

from datetime import date

from pipelines.lib.plain_english import Vocabulary, counting_basis, month_ranges

WORDS = Vocabulary(
    {
        "police_crimes": "Police recorded crimes and outcomes (monthly)",
        "police_arrests": "Police arrests (monthly)",
        "public_confidence_pct": "‘Public confidence in the police’",
    }
)


def test_identifiers_and_months_become_names() -> None:
    assert WORDS.text("published as public_confidence_pct since 2024-05") == (
        "published as ‘Public confidence in the police’ since May 2024"
    )
    assert WORDS.text("an unknown_name stays") == "an unknown_name stays"  # the pack's test finds what slips through
    assert WORDS.text(None) == ""


def test_undelivered_months_become_ranges_per_extract() -> None:
    reason = (
        "not delivered for Dorset: police_crimes 2024-04, police_crimes 2024-05, police_crimes 2024-06, "
        "police_arrests 2024-05, police_crimes 2024-09"
    )
    assert WORDS.reason(reason) == (
        "not delivered for Dorset: Police recorded crimes and outcomes (monthly) for Apr 2024 to Jun 2024 (3 months), "
        "Sep 2024; Police arrests (monthly) for May 2024"
    )
    assert WORDS.undelivered(reason) == ["Police recorded crimes and outcomes (monthly)", "Police arrests (monthly)"]
    assert WORDS.reason("withheld: small number (disclosure control)") == "withheld: small number (disclosure control)"
    assert WORDS.undelivered("no manual input received") == []


def test_sources_and_counting_bases() -> None:
    assert WORDS.sources("police, pcc", "police_crimes") == (
        "Police recorded crimes and outcomes (monthly) from the police and the Office of the Police and Crime Commissioner"
    )
    assert counting_basis("snapshot") == "cases open on the last day of the period"
    assert month_ranges([date(2024, 12, 1), date(2025, 1, 1), date(2024, 3, 1)]) == (
        "Mar 2024, Dec 2024 to Jan 2025 (2 months)"
    )
