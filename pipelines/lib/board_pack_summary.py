"""The board pack's first page: what a board member reads in a minute before the meeting.

One printed page (A4 landscape), in this order: how many measures have figures and how many changed beyond chance;
the headline figures (the first measures of each section with a figure, as the board orders them); every comparison
that is statistically significant, in words; what is missing and why, grouped by reason; which agency's files for the month arrived on time, late or not at all
(`pipelines/lib/delivery_panel.py`); who to contact and when
the next figures come; and a key. Everything on it is also in the tables that follow, cell for cell
(`pipelines/lib/pack_html.py`), so the first page can never disagree with them.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date

from pipelines.lib.delivery_panel import AgencyDeliveries, delivery_panel_html
from pipelines.lib.figure_presentation import (
    ARROWS,
    CONFIDENCE,
    SIGNIFICANT,
    STATUS_MARKERS,
    format_figure,
    long_date,
    period_label,
    previous_period_label,
    shown_status,
)
from pipelines.lib.months import month_end
from pipelines.lib.pack_html import figure_html, judgement_html
from pipelines.lib.plain_english import Vocabulary

HEADLINES_PER_SECTION = 3
MOST_LISTED = 8  # significant comparisons listed on the first page; the rest are in the tables
TITLES_PER_REASON = 6


def summary_html(
    period: str,
    rows: list[dict],
    names: Vocabulary,
    deliveries: list[AgencyDeliveries],
    contact: str,
    next_update: date | None,
) -> str:
    """The first page of a pack of `period` (YYYY-MM) over its figures' rows (one per measure) and the month's
    deliveries by agency."""
    month = f"{month_end(period):%B %Y}"
    contact_text = html.escape(contact) if contact else "not set (the publisher sets CJS_CONTACT)"
    next_text = long_date(next_update) if next_update else "not scheduled"
    panel = delivery_panel_html(deliveries, month)
    panel = f"<h2>Data behind these figures</h2>\n{panel}" if panel else ""
    return f"""<section class="summary" id="summary">
<div class="summary-grid">
<div>
<h2>At a glance</h2>
<p class="glance" data-summary="glance">{_glance(rows, month)}</p>
<h2>Headline figures</h2>
{_headlines(rows)}
</div>
<div>
<h2>Significant changes and differences</h2>
{_significant(rows)}
<h2>What is missing and why</h2>
{_missing(rows, names)}
{panel}
<h2>Contact and next update</h2>
<p data-summary="contact">Questions about these figures: {contact_text}. Next update: by {next_text}, with the
following month's figures.</p>
</div>
</div>
<p class="key"><strong>How to read it.</strong> A word says what each comparison means: <em>better</em> or
<em>worse</em> only where the difference is statistically significant at the 5% level, <em>no real change</em> or
<em>similar</em> where it is not, <em>not tested</em> where no test applies (the notes say why). Arrows
({ARROWS["up"]} {ARROWS["down"]} {ARROWS["flat"]}) show only which way a figure moved. {CONFIDENCE} CI: the range the
underlying figure lies in 19 times out of 20; n: the answers or cases it rests on.
{" ".join(f"{marker.symbol} {marker.label}." for marker in STATUS_MARKERS.values())}</p>
</section>
"""


def _glance(rows: list[dict], month: str) -> str:
    """How many measures have a figure, how many are withheld or missing, how many changed beyond chance."""
    with_figure = sum(row["value"] is not None for row in rows)
    withheld = sum(shown_status(row["status"], row["status_reason"]) == "suppressed" for row in rows)
    changes = [row["change_judgement"] for row in rows if row["change_judgement"] in SIGNIFICANT]
    better, worse = changes.count("better"), changes.count("worse")
    others = len(changes) - better - worse
    split = ", ".join(
        part
        for part in [
            f"{better} better" if better else "",
            f"{worse} worse" if worse else "",
            f"{others} up or down with no better direction" if others else "",
        ]
        if part
    )
    return (
        f"{len(rows)} measures: {with_figure} with a figure for {month}, {withheld} withheld, "
        f"{len(rows) - with_figure - withheld} not available. {len(changes)} changed significantly since the "
        f"last period{f' ({split})' if split else ''}."
    )


def _headlines(rows: list[dict]) -> str:
    """The first measures with a figure in each section, with their change and the same period last year."""
    by_section: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["value"] is not None and len(by_section[row["section_order"]]) < HEADLINES_PER_SECTION:
            by_section[row["section_order"]].append(row)
    lines = "".join(
        f'<tr data-measure-id="{html.escape(row["measure_id"])}"><td>{html.escape(row["title"])}'
        f"{_period_suffix(row)}</td><td>{figure_html(row)}</td>"
        f"<td>{judgement_html(row['change_judgement'], True, 'see the notes')}</td>"
        f"<td>{judgement_html(row['last_year_judgement'], True, 'see the notes')}</td></tr>"
        for section in sorted(by_section)
        for row in by_section[section]
    )
    return (
        '<table class="headlines"><colgroup><col class="measure-column"><col class="figure-column"><col><col>'
        "</colgroup><thead><tr><th>Measure</th><th>Figure</th><th>Since last period</th>"
        f"<th>Since a year before</th></tr></thead><tbody>{lines}</tbody></table>"
    )


def _period_suffix(row: dict) -> str:
    label = period_label(row["period_type"], row["period_start"], row["counting_basis"])
    return f' <span class="muted">({html.escape(label)})</span>' if row["period_type"] != "month" else ""


def _significant(rows: list[dict]) -> str:
    """Every comparison significant at the 5% level, in a sentence per measure (the first MOST_LISTED)."""
    sentences = []
    for row in rows:
        phrases = [phrase for phrase in _significant_phrases(row) if phrase]
        if phrases:
            sentences.append(
                f'<li data-measure-id="{html.escape(row["measure_id"])}"><strong>{html.escape(row["title"])}</strong> '
                f"{format_figure(row['value'], row['unit'])}: {'; '.join(phrases)}.</li>"
            )
    if not sentences:
        return (
            "<p>No figure differs from its last period, the same period last year, England and Wales or its peers "
            "by more than chance would give.</p>"
        )
    more = len(sentences) - MOST_LISTED
    tail = f"<li>and {more} more: see the tables.</li>" if more > 0 else ""
    return f'<ul class="significant">{"".join(sentences[:MOST_LISTED])}{tail}</ul>'


def _significant_phrases(row: dict) -> list[str]:
    """ "worse than Feb 2025 (65.5%)" for each of the figure's significant comparisons."""
    a_year_before = period_label(row["period_type"], _year_before(row["period_start"]), row["counting_basis"])
    comparisons = [
        (
            row["change_judgement"],
            previous_period_label(row["period_type"], row["period_start"], row["counting_basis"]),
            row["previous_value"],
            True,
        ),
        (row["last_year_judgement"], a_year_before, row["same_period_last_year"], True),
        (row["national_judgement"], "England and Wales", row["national_value"], False),
        (row["peer_judgement"], "the peer forces", row["peer_value"], False),
    ]
    return [
        f"{judgement_html(code, over_time, '')} than {html.escape(what)} ({format_figure(other, row['unit'])})"
        for code, what, other, over_time in comparisons
        if code in SIGNIFICANT
    ]


def _year_before(start: date | None) -> date | None:
    return start.replace(year=start.year - 1) if start else None


def _missing(rows: list[dict], names: Vocabulary) -> str:
    """The measures without a figure, grouped by why (withheld, not collected, waiting for data ...)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["value"] is None:
            groups[_missing_reason(row, names)].append(row["title"])
    if not groups:
        return "<p>Every measure has a figure.</p>"
    items = []
    for reason, titles in sorted(groups.items(), key=lambda group: -len(group[1])):
        listed = ", ".join(html.escape(title) for title in titles[:TITLES_PER_REASON])
        more = f" and {len(titles) - TITLES_PER_REASON} more" if len(titles) > TITLES_PER_REASON else ""
        items.append(f"<li><strong>{html.escape(reason)} ({len(titles)})</strong>: {listed}{more}.</li>")
    return f'<ul class="missing">{"".join(items)}</ul>'


def _missing_reason(row: dict, names: Vocabulary) -> str:
    """A short, shared reason for a missing figure (the notes give each measure's in full)."""
    status = shown_status(row["status"], row["status_reason"])
    if status == "suppressed":
        return "Withheld to protect confidentiality"
    if row["availability"] == "not_available":
        return "Not collected: no agency extract holds it"
    if row["availability"] == "manual_input":
        return "Entered by hand: no figure received yet"
    if extracts := names.undelivered(row["status_reason"]):
        return f"Waiting for data: {'; '.join(extracts)}"
    if row["status_reason"]:
        reason = names.reason(row["status_reason"])
        return reason[:1].upper() + reason[1:]
    return "No figure for the period"
