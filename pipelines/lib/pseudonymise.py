"""Keyed hashing of personal identifiers, so linkage still works but no raw value reaches the warehouse.

HMAC-SHA-256 rather than a plain hash: names and dates of birth are guessable, so an unkeyed hash could be reversed by
hashing candidate values. The key lives only in the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Callable, Sequence

import polars as pl

from pipelines.lib.errors import ConfigurationError

KEY_ENV = "CJS_PSEUDONYM_KEY"
# Used only by `cjs-scorecard demo` on the shipped fake sample; never for real extracts.
DEMO_KEY = "cjs-scorecard-demo-key-not-for-real-data"


def pseudonym_key() -> bytes:
    """The key from the environment; a clear error instead of silently hashing with no secret."""
    key = os.environ.get(KEY_ENV, "")
    if not key:
        raise ConfigurationError(
            f"{KEY_ENV} is not set: personal identifiers cannot be pseudonymised. Set it to a secret of at least "
            f"16 characters (the demo sets a fixed demo key itself)."
        )
    if len(key.strip()) < 16:
        raise ConfigurationError(
            f"{KEY_ENV} is too short or blank: use a secret of at least 16 characters other than spaces."
        )
    return key.encode("utf-8")


def key_fingerprint(key: bytes) -> str:
    """A tag of the key (an HMAC of a fixed text), kept with the pseudonyms it made: a later load with another key is
    stopped, since its pseudonyms would silently fail to link with the earlier ones. It says nothing a pseudonym of a
    guessable value does not already."""
    return _digest(key, "cjs-scorecard pseudonym key check")


def normalise_identifier(value: str) -> str:
    """The form a personal value is hashed in: trimmed, inner whitespace collapsed, case-folded ('A b' == ' a  B ')."""
    return " ".join(value.split()).upper()


def _digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _hash_distinct(series: pl.Series, key: bytes, message: Callable[[str], str]) -> pl.Series:
    # Identifiers repeat across rows (a suspect on many crimes): hash each distinct value once.
    distinct = series.drop_nulls().unique()
    return series.replace_strict(
        distinct, [_digest(key, message(v)) for v in distinct], default=None, return_dtype=pl.String
    )


def pseudonymise_column(series: pl.Series, key: bytes) -> pl.Series:
    """Replace each non-empty value by a 32-hex-digit keyed hash (normalised case and spacing, so 'A b' == 'a  B').

    Dates are hashed in ISO form after parsing, so a date of birth written 05-Jun-1990 by one agency, 1990-06-05 by
    another and as an Excel serial by a third gets the same pseudonym and can still link records.
    """
    if series.dtype != pl.String:
        series = series.cast(pl.String)
    return _hash_distinct(series, key, normalise_identifier)


def pseudonymise_combination(columns: Sequence[pl.Series], key: bytes) -> pl.Series:
    """One keyed hash per row over several personal values (e.g. surname, forename, date of birth): a person key.

    Each value is normalised as pseudonymise_column normalises it (dates after parsing, in ISO form) and the hash is
    of the JSON list of the normalised values, in the order given: ('Anne Marie', 'Smith') and ('Anne', 'Marie Smith')
    differ, and the same person gets the same key in every file (and every extract listing the same values in the same
    order). A row missing any of the values gets no key (null): an unknown name or date of birth does not link people.
    """
    frame = pl.DataFrame([s.cast(pl.String).alias(str(i)) for i, s in enumerate(columns)])
    encoded = frame.select(
        pl.when(pl.all_horizontal(pl.all().is_not_null())).then(pl.struct(pl.all()).struct.json_encode())
    ).to_series()

    def message(row: str) -> str:
        return json.dumps([normalise_identifier(v) for v in json.loads(row).values()], ensure_ascii=False)

    return _hash_distinct(encoded, key, message)
