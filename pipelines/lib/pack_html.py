"""The board pack's cells that its first page and its tables share: a figure with its marker, interval and base, and
a comparison's judgement in a word. Built (and escaped) here, so the summary and the tables cannot say a figure two
ways."""

from __future__ import annotations

import html

from pipelines.lib.figure_presentation import (
    CONFIDENCE,
    JUDGEMENTS,
    SIGNIFICANT,
    STATUS_MARKERS,
    figure_marker,
    format_figure,
    interval_text,
    shown_status,
)


def figure_html(row: dict) -> str:
    """The figure, or its marker when it is withheld or missing (a withheld figure never reads as a number), with
    its 95% interval and base beneath."""
    status = shown_status(row["status"], row["status_reason"])
    if marker := figure_marker(row["value"], status):
        return (
            f'<span class="value {status}" data-status="{status}" title="{html.escape(marker.explanation)}">'
            f"{marker.symbol}</span>"
        )
    flag = STATUS_MARKERS.get(status)  # an estimate or provisional figure: its number, marked
    marked = f' <span class="marker" title="{html.escape(flag.explanation)}">{flag.symbol}</span>' if flag else ""
    uncertainty = interval_text(row["ci_lower"], row["ci_upper"], row["base"], row["unit"])
    interval = f'<span class="interval">{uncertainty}</span>' if uncertainty else ""
    return (
        f'<span class="value" data-status="{status}">{format_figure(row["value"], row["unit"])}</span>'
        f"{marked}{interval}"
    )


def judgement_html(code: str | None, over_time: bool, untested: str = "") -> str:
    """A comparison's meaning in a word: better or worse only where significant; the colour repeats the word, so it
    reads the same in greyscale. The hover text says why (significant or not, or why it was not tested)."""
    if code is None:
        return ""
    judgement = JUDGEMENTS[code]
    if code == "not_tested":
        title = untested
    elif code in SIGNIFICANT:
        title = f"statistically significant at the 5% level ({CONFIDENCE} confidence)"
    else:
        title = "not statistically significant at the 5% level: within what chance alone would give"
    word = judgement.over_time if over_time else judgement.against_others
    return (
        f'<span class="judgement {judgement.tone}" data-judgement="{code}" title="{html.escape(title)}">{word}</span>'
    )
