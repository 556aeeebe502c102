"""Story sets (../shared/story: one event's articles over weeks, with which claims report the
same fact, per claim asserted / hedged / denied / retracted, per fact updated and disputed)
through a whole `newsie run`, scored by ../shared/tools/score_story.py. The sets are for
measuring only: no rule, word or test sentence comes from them.

Two bars: what the cross-document step reaches today (a regression guard, asserted) and the
bar of issue 34 (expected to fail until it is reached: strict=False so reaching it is noticed
as XPASS, not as an error)."""
import contextlib
import importlib.util
import io

import pytest
from typer.testing import CliRunner

from newsie.cli import app

STORIES = ("nepal-2015", "deepwater-2010")
# Reached on 2026-12-07 (see docs/crossdoc.md, "Story sets"), a little below, for changes in the
# claims stage. The earthquake set meets issue 34's bar (asserted below); the oil spill does not.
GUARD = {"nepal-2015": {"grouping_f1": 0.90, "hedged_acc": 0.9, "disputed_acc": 0.9, "updated_acc": 0.9,
                        "negation_p": 0.8, "negation_r": 0.8},
         "deepwater-2010": {"grouping_f1": 0.85, "hedged_acc": 0.9, "disputed_acc": 0.9, "updated_acc": 0.7,
                            "negation_p": 0.8, "negation_r": 0.8}}
ISSUE_BAR = {"grouping_f1": 0.85, "hedged_acc": 0.9, "disputed_acc": 0.9, "updated_acc": 0.9}


@pytest.fixture(scope="module")
def scored(shared, tmp_path_factory):
    spec = importlib.util.spec_from_file_location("score_story", shared("tools", "score_story.py"))
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    results = {}
    for name in STORIES:
        out = tmp_path_factory.mktemp(name) / "out"
        result = CliRunner().invoke(app, ["run", str(shared("story", name, "docs")), "--out", str(out)])
        assert result.exit_code == 0, result.output
        with contextlib.redirect_stdout(io.StringIO()):
            results[name] = scorer.main(str(shared("story", name, "claims.jsonl")), str(out), name)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("name", STORIES)
def test_story_sets_keep_what_they_reached(scored, name):
    scores = scored[name]
    assert {k: scores[k] for k, floor in GUARD[name].items() if (scores[k] or 0) < floor} == {}, scores


@pytest.mark.slow
@pytest.mark.parametrize("name", [
    "nepal-2015",
    pytest.param("deepwater-2010", marks=pytest.mark.xfail(
        strict=False, reason="issue 34's bar is not reached on the oil spill (docs/crossdoc.md, 'What still fails')")),
])
def test_story_sets_meet_the_issue_bar(scored, name):
    scores = scored[name]
    short = {k: scores[k] for k, floor in ISSUE_BAR.items() if (scores[k] or 0) < floor}
    if scores["negation_r"] is not None:
        short.update({k: scores[k] for k in ("negation_p", "negation_r") if (scores[k] or 0) < 0.8})
    assert short == {} and scores["max_pieces"] <= 2, scores
