"""The README's opening example: its passage is in the corpus, and its claims table is what a
real run of `newsie run corpus/` writes for that passage, row for row and column for column.

The example sits between `<!-- example:start -->` and `<!-- example:end -->`: a fenced block
holding the passage (wrapped freely), then a Markdown table whose header names claims columns.
A cell reads `null` for a missing value, `true`/`false` for booleans; numbers compare as numbers.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from newsie.schema import CLAIMS

from .conftest import CORPUS, ROOT, read_tables

README = ROOT / "README.md"
NUMERIC = {"value", "low", "high"}


def readme_example() -> tuple[str, list[str], list[list[str]]]:
    """(passage, header, rows) of the example block."""
    text = README.read_text(encoding="utf8")
    block = re.search(r"<!-- example:start -->(.*?)<!-- example:end -->", text, re.S)
    assert block, "README.md has no <!-- example:start --> ... <!-- example:end --> block"
    passage = re.search(r"```[^\n]*\n(.*?)```", block.group(1), re.S)
    assert passage, "the example block has no fenced passage"
    lines = [line.strip() for line in block.group(1).splitlines() if line.strip().startswith("|")]
    assert len(lines) >= 3, "the example block has no table with rows"
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    header, separator, rows = cells[0], cells[1], cells[2:]
    assert all(set(cell) <= set("-: ") for cell in separator), "second table line is not a separator"
    for row in rows:
        assert len(row) == len(header), f"row {row} has {len(row)} cells for {len(header)} columns"
    return passage.group(1), header, rows


def locate(passage: str) -> tuple[str, int, int]:
    """(doc_id, start, end) of the passage in the one corpus file that holds it; the README may
    wrap lines differently from the file, so any run of whitespace matches any other."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in passage.split()))
    hits = []
    for path in sorted(CORPUS.glob("*.txt")):
        match = pattern.search(path.read_text(encoding="utf8"))
        if match:
            hits.append((path.stem, match.start(), match.end()))
    assert len(hits) == 1, f"the README passage should be in exactly one corpus file, found in {hits}"
    return hits[0]


def shown(column: str, value) -> str:
    """A table value as the README writes it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "null"
    if value in ("True", "False"):
        return value.lower()
    if column in NUMERIC:
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


def test_readme_passage_is_in_the_corpus():
    passage, header, _ = readme_example()
    locate(passage)
    unknown = [c for c in header if c not in CLAIMS.names]
    assert not unknown, f"README example columns not in schema.CLAIMS: {unknown}"


@pytest.mark.slow
def test_readme_example_matches_the_seed_run(seed_run: Path):
    passage, header, rows = readme_example()
    doc_id, start, end = locate(passage)
    tables = read_tables(seed_run)
    text = tables["documents"].set_index("doc_id").loc[doc_id, "text"]
    assert text[start:end] == CORPUS.joinpath(f"{doc_id}.txt").read_text(encoding="utf8")[start:end]

    claims = tables["claims"]
    claims = claims[claims.doc_id == doc_id].assign(
        _start=lambda f: f.quantity_start.astype(int), _end=lambda f: f.quantity_end.astype(int))
    claims = claims[(claims._start >= start) & (claims._end <= end)].sort_values("_start")
    actual = [[shown(column, value) for column, value in zip(header, row)]
              for row in claims[header].itertuples(index=False)]
    assert len(actual) == len(rows), (
        f"the run has {len(actual)} claims in the README passage of {doc_id}, the README shows "
        f"{len(rows)}:\n" + "\n".join(" | ".join(r) for r in actual))
    for expected_row, actual_row in zip(rows, actual):
        differences = {column: (want, got) for column, want, got in zip(header, expected_row, actual_row)
                       if want != got}
        assert not differences, (
            f"README row {expected_row[0]!r}: (README, run) differ in {differences}\n"
            "the run's rows:\n" + "\n".join(" | ".join(r) for r in actual))
