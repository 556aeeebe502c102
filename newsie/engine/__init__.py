"""Runners: turn documents into table rows, chunk by chunk (local processes or Dask)."""
