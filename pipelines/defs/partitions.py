"""Reporting months as Dagster partitions: one partition per month of agency extracts."""

import dagster as dg

from pipelines.settings import first_month

# end_offset=1 offers the current month too: a snapshot taken today can be loaded before the month closes.
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date=f"{first_month()}-01", end_offset=1)


def reporting_month(partition_key: str) -> str:
    """'2024-01-01' (Dagster's key) -> '2024-01' (how extracts name their month)."""
    return partition_key[:7]


def partition_key(month: str) -> str:
    return f"{month}-01"
