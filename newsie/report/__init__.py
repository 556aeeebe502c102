"""Reports over a run's tables: `newsie report OUT --html FILE` (html.write_report)."""
