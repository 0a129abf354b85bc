"""Keyed hashing of personal identifiers, so linkage still works but no raw value reaches the warehouse.

HMAC-SHA-256 rather than a plain hash: names and dates of birth are guessable, so an unkeyed hash could be reversed by
hashing candidate values. The key lives only in the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import os

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
    if len(key) < 16:
        raise ConfigurationError(f"{KEY_ENV} is too short: use a secret of at least 16 characters.")
    return key.encode("utf-8")


def pseudonymise_column(series: pl.Series, key: bytes) -> pl.Series:
    """Replace each non-empty value by a 32-hex-digit keyed hash (normalised case and spacing, so 'A b' == 'a  B').

    Dates are hashed in ISO form after parsing, so a date of birth written 05-Jun-1990 by one agency, 1990-06-05 by
    another and as an Excel serial by a third gets the same pseudonym and can still link records.
    """
    if series.dtype != pl.String:
        series = series.cast(pl.String)

    def digest(value: str) -> str:
        normalised = " ".join(value.split()).upper()
        return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    # Identifiers repeat across rows (a suspect on many crimes): hash each distinct value once.
    distinct = series.drop_nulls().unique()
    return series.replace_strict(distinct, [digest(v) for v in distinct], default=None, return_dtype=pl.String)
