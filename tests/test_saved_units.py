"""configs/unit_surfaces.json: quantulum3's surface forms of the news units, saved so a run
need not build quantulum3's unit table; it must equal what quantulum3 gives."""
from __future__ import annotations

import json

from newsie.normalize.saved_units import NEWS_UNITS, SAVED, quantulum_surfaces_live, quantulum_version, saved_surfaces


def test_saved_table_is_what_quantulum3_gives():
    saved = saved_surfaces(NEWS_UNITS)
    assert saved is not None, ("configs/unit_surfaces.json was made for another quantulum3 or other "
                               "NEWS_UNITS: rewrite it with `python -m newsie.normalize.saved_units`")
    assert saved == quantulum_surfaces_live(), "rewrite it with `python -m newsie.normalize.saved_units`"


def test_a_table_made_for_other_units_or_another_quantulum3_is_not_used(tmp_path):
    data = json.loads(SAVED.read_text(encoding="utf-8"))
    other_units = dict(data, units=sorted(data["units"])[1:])
    (tmp_path / "units.json").write_text(json.dumps(other_units), encoding="utf-8")
    assert saved_surfaces(NEWS_UNITS, tmp_path / "units.json") is None
    other_version = dict(data, quantulum3=f"{quantulum_version()}.post9")
    (tmp_path / "version.json").write_text(json.dumps(other_version), encoding="utf-8")
    assert saved_surfaces(NEWS_UNITS, tmp_path / "version.json") is None
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert saved_surfaces(NEWS_UNITS, tmp_path / "broken.json") is None
    assert saved_surfaces(NEWS_UNITS, tmp_path / "missing.json") is None


def test_without_quantulum3_the_saved_table_is_the_table(monkeypatch):
    """quantulum3 is a development dependency: a default install reads the saved table."""
    from newsie.normalize import saved_units

    monkeypatch.setattr(saved_units, "quantulum_version", lambda: None)
    assert saved_surfaces(NEWS_UNITS) == json.loads(SAVED.read_text(encoding="utf-8"))["surfaces"]
