"""cjs-scorecard: agency extracts -> reconciled DuckDB warehouse -> Local Criminal Justice Board scorecards."""
