"""One chunk through newsie.engine.local.process_chunk when a document fails: in nlp.pipe, in
its rows, or by running out of time. The others keep their rows, each document has exactly one
documents row, and the documents already done are not processed again. Documents written for
these tests; the pipeline is the rule-based one, wrapped to fail on marked texts."""
from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager

import pytest

from newsie.engine import local
from newsie.io.readers import Document

TEXTS = {
    "a": "The ministry said 12 people were hurt in the fire on Monday.",
    "b": "Rescuers found 30 survivors, the agency said.",
    "c": "About 4,000 homes lost power, according to the utility.",
    "d": "Police said two men were arrested.",
}


class FailingPipeline:
    """rules_nlp, but a text containing BOOM raises in the pipeline and one containing SLOW sleeps."""

    def __init__(self, nlp, batch_size: int):
        self.nlp, self.batch_size = nlp, batch_size
        self.seen: Counter = Counter()

    def make_doc(self, text):
        return self.nlp.make_doc(text)

    @contextmanager
    def memory_zone(self):
        with self.nlp.memory_zone():
            yield

    def _check(self, doc):
        self.seen[doc.text] += 1
        if "BOOM" in doc.text:
            raise RuntimeError("a component failed")
        if "SLOW" in doc.text:
            time.sleep(3)

    def pipe(self, docs, batch_size):
        docs = list(docs)
        for doc in docs:
            self._check(doc)
        return self.nlp.pipe(docs, batch_size=batch_size)

    def __call__(self, doc):
        self._check(doc)
        return self.nlp(doc)


def documents(texts: dict[str, str]) -> list[Document]:
    return [Document(doc_id, text, f"{doc_id}.txt") for doc_id, text in texts.items()]


def statuses(tables) -> dict[str, str]:
    ids = [row["doc_id"] for row in tables["documents"]]
    assert len(ids) == len(set(ids)), "a document has two documents rows"
    return {row["doc_id"]: row["status"] for row in tables["documents"]}


@pytest.mark.parametrize("batch_size", [1, 32])
def test_a_document_failing_in_the_pipeline_costs_only_itself(rules_nlp, batch_size):
    texts = dict(TEXTS, b=TEXTS["b"] + " BOOM")
    nlp = FailingPipeline(rules_nlp, batch_size)
    tables = local.process_chunk(nlp, documents(texts))
    assert statuses(tables) == {"a": "ok", "b": "error", "c": "ok", "d": "ok"}
    assert [(e["doc_id"], e["stage"]) for e in tables["errors"]] == [("b", "nlp")]
    assert {c["doc_id"] for c in tables["claims"]} == {"a", "c", "d"}
    if batch_size == 1:  # a batch of its own: the document done before the failure is not redone
        assert nlp.seen[texts["a"]] == 1 and nlp.seen[texts["c"]] == 1


def test_rows_are_the_same_in_one_batch_or_many(rules_nlp):
    one = local.process_chunk(FailingPipeline(rules_nlp, 32), documents(TEXTS))
    many = local.process_chunk(FailingPipeline(rules_nlp, 1), documents(TEXTS))
    assert one == many
    assert {c["doc_id"] for c in one["claims"]} == set(TEXTS)


def test_a_document_failing_in_its_rows_costs_only_itself(rules_nlp, monkeypatch):
    real = local.doc_rows

    def doc_rows(d, doc):
        if d.doc_id == "c":
            raise KeyError("a bug")
        return real(d, doc)

    monkeypatch.setattr(local, "doc_rows", doc_rows)
    tables = local.process_chunk(FailingPipeline(rules_nlp, 32), documents(TEXTS))
    assert statuses(tables) == {"a": "ok", "b": "ok", "c": "error", "d": "ok"}
    assert [(e["doc_id"], e["stage"]) for e in tables["errors"]] == [("c", "rows")]


def test_a_document_over_the_time_limit_becomes_a_timeout_row(rules_nlp):
    texts = dict(TEXTS, c=TEXTS["c"] + " SLOW")
    tables = local.process_chunk(FailingPipeline(rules_nlp, 1), documents(texts), timeout=1.5)
    assert statuses(tables) == {"a": "ok", "b": "ok", "c": "error", "d": "ok"}
    assert [(e["doc_id"], e["stage"]) for e in tables["errors"]] == [("c", "timeout")]
    assert len([c for c in tables["claims"] if c["doc_id"] == "a"]) == 1
