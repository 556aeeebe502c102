"""Each newsie component on its own, inside the real pipeline (rule attribution)."""
import datetime as dt

import pytest

from newsie.io.cleaning import mask_boilerplate


def annotate(nlp, text, published=dt.date(2025, 2, 27)):
    doc = nlp.make_doc(mask_boilerplate(text).text)
    doc._.published = published
    return nlp(doc)


def claim_at(doc, fragment):
    start = doc.text.index(fragment)
    found = [c for c in doc._.claims if c.quantity_start <= start < c.quantity_end or start <= c.quantity_start < start + len(fragment)]
    assert found, f"no claim at {fragment!r}: {[c.quantity_text for c in doc._.claims]}"
    return found[0]


@pytest.mark.parametrize("pipeline", ["nlp", "rules_nlp"])
def test_analyze_pipes_finds_no_problems(pipeline, request):
    """Every attribute a component requires is assigned by one before it, in both configs."""
    nlp = request.getfixturevalue(pipeline)
    for name in ("newsie_entities", "newsie_dates", "newsie_quantities", "newsie_attribution_rules", "newsie_claims"):
        assert name in nlp.pipe_names
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert problems == {name: [] for name in nlp.pipe_names}


def test_claims_mirror_the_claims_table():
    """A Claim holds every claims column one document decides; the run adds the rest."""
    from dataclasses import fields

    from newsie.components.claims import RUN_COLUMNS, Claim
    from newsie.schema import CLAIMS

    names = [f.name for f in fields(Claim) if f.name not in ("attribution_index", "features", "source_options")]
    assert names == [n for n in CLAIMS.names if n not in RUN_COLUMNS]


def test_rule_attributions_reach_claims_through_an_extension(nlp):
    """The rules' own attributions travel on Doc._.rule_attributions, not in doc.user_data keys."""
    doc = annotate(nlp, "Officials said 40 people were killed.")
    assert isinstance(doc._.rule_attributions, list)
    assert not [k for k in doc.user_data if not (isinstance(k, tuple) and k[0] == "._.")]


def test_line_breaks_start_sentences(rules_nlp):
    doc = annotate(rules_nlp, "Floods kill 40 in the south\n\nDHAKA (Reuters) - Rains killed 40 people, police said.")
    starts = [s.text.split()[0] for s in doc.sents if s.text.strip()]
    assert "DHAKA" in starts


def test_acronym_canonical_name(rules_nlp):
    doc = annotate(rules_nlp, "The World Health Organization (WHO) warned of cholera. Later, the WHO said 40 people died.")
    canon = {e.text: e._.canonical for e in doc.ents}
    assert canon.get("WHO") == "World Health Organization"


def test_person_short_name_resolves_to_full_name(rules_nlp):
    doc = annotate(rules_nlp, "Prime Minister Elisabeth Borne spoke on Monday. Borne said 154 people were arrested.")
    c = claim_at(doc, "154")
    assert c.source_canonical == "Elisabeth Borne"


def test_dates_are_normalized_and_never_quantities(rules_nlp):
    doc = annotate(rules_nlp, "In January 2024, 300 people were evacuated, officials said on Feb. 7.")
    values = {s.text: s._.timex.value for s in doc._.timexes}
    assert values.get("January 2024") == "2024-01"
    assert values.get("Feb. 7") == "2025-02-07"
    assert [s.text for s in doc._.quantities] == ["300"]


def test_quantities_carry_ranges_and_bounds(rules_nlp):
    doc = annotate(rules_nlp, "Between 1,000 and 3,000 soldiers were sent, and at least 500 more followed.")
    qs = [s._.quantity for s in doc._.quantities]
    assert (qs[0].value, qs[0].low, qs[0].high) == (None, 1000, 3000)
    assert (qs[1].low, qs[1].high) == (500, None)


@pytest.mark.parametrize("text, fragment, source", [
    ("Police said 154 people were arrested.", "154", "Police"),
    ("According to the health ministry, 412 people have died.", "412", "the health ministry"),
    ("The army estimated that 2,000 fighters had crossed the border.", "2,000", "The army"),
    ("The governor put the death toll at 75.", "75", "The governor"),
    ("Officials told reporters that 30 homes were destroyed.", "30", "Officials"),
    ("The ministry put the death toll at 300, though U.N. estimates were higher at around 1,200.", "1,200", "U.N. estimates"),
    ("A report from the United Nations said 20,000 people were displaced.", "20,000", "the United Nations"),
    ("Floods killed 40 people on Sunday.", "40", None),
])
def test_rule_attribution_sources(rules_nlp, text, fragment, source):
    doc = annotate(rules_nlp, text)
    assert claim_at(doc, fragment).source_text == source


def test_pronoun_source_resolves_to_antecedent(rules_nlp):
    doc = annotate(rules_nlp, "Janan Sayeeq is the ministry's spokesman. He said 465 houses were destroyed.")
    c = claim_at(doc, "465")
    assert c.source_text == "He" and c.source_canonical == "Janan Sayeeq"


def test_according_to_needs_a_plausible_source(rules_nlp):
    doc = annotate(rules_nlp, "Aid will rise according to the situation, and 300 tents were sent.")
    assert claim_at(doc, "300").source_text is None


@pytest.mark.parametrize("text, fragment, event, counted", [
    ("The quake killed at least 1,200 people.", "1,200", "killed", "people"),
    ("More than 2,400 people were injured.", "2,400", "wounded", "people"),
    ("He put the number of killed or wounded at 4,000.", "4,000", "casualties", None),
    ("The ministry recorded 10,000 cholera cases.", "10,000", "cases", "cholera cases"),
    ("Some 20,000 people have been displaced.", "20,000", ("other", "displaced"), "people"),
    ("The country sent 12,000 troops to the front.", "12,000", "deployed", "troops"),
    ("Pyongyang shipped thousands of shipping containers of munitions.", "thousands", "supplied", "shipping containers"),
    ("Police said 154 people were arrested.", "154", ("other", "arrested"), "people"),
    ("Rescuers said 60 patients were treated for burns after the blast.", "60", ("wounded", "hospitalized"), "patients"),
    ("Officials said 1,000 soldiers were killed or wounded.", "1,000", "casualties", "soldiers"),
    ("The province sent 300 firefighters to the blaze.", "300", "deployed", "firefighters"),
])
def test_event_type_and_counted(rules_nlp, text, fragment, event, counted):
    """event_type is a coarse kind; a finer type of the taxonomy goes to event_detail."""
    c = claim_at(annotate(rules_nlp, text), fragment)
    event_type, detail = event if isinstance(event, tuple) else (event, None)
    assert (c.event_type, c.event_detail, c.counted) == (event_type, detail, counted)


@pytest.mark.parametrize("text", [
    "The two nations signed a pact in June.",
    "The retirement age will rise from 62 to 64.",
    "It was the first time in 20 years.",
    "Borne, 61, spoke for 45 minutes.",
])
def test_non_figures_make_no_claims(rules_nlp, text):
    assert annotate(rules_nlp, text)._.claims == []


def test_hedged_and_negated(rules_nlp):
    doc = annotate(rules_nlp, "North Korea may have sent 3,000 more troops. Officials said 500 soldiers were not killed.")
    assert claim_at(doc, "3,000").hedged is True
    assert claim_at(doc, "500").negated is True


def test_claim_time_comes_from_its_clause(rules_nlp):
    doc = annotate(rules_nlp, "Last fall the country sent about 10,000 troops, officials said.")
    c = claim_at(doc, "10,000")
    assert (c.time_start, c.time_end) == (dt.date(2024, 9, 1), dt.date(2024, 11, 30))


def test_boilerplate_yields_no_claims(rules_nlp):
    doc = annotate(rules_nlp, "Rains killed 40 people.\n\nIn Other News\nVA fires 1,400 more staffers\n")
    assert [c.quantity_text for c in doc._.claims] == ["40"]


def test_entity_canonicalizer_round_trips_to_disk(rules_nlp, tmp_path):
    from newsie.components.entities import EntityCanonicalizer

    pipe = rules_nlp.get_pipe("newsie_entities")
    pipe.to_disk(tmp_path / "entities")
    copy = EntityCanonicalizer().from_disk(tmp_path / "entities")
    assert copy.aliases.aliases == pipe.aliases.aliases and copy.aliases.lookup("NIS")


def test_claim_builder_round_trips_to_disk(rules_nlp, tmp_path):
    from newsie.components.claims import ClaimBuilder, Taxonomy

    pipe = rules_nlp.get_pipe("newsie_claims")
    pipe.to_disk(tmp_path / "claims")
    copy = ClaimBuilder(taxonomy=Taxonomy([], {}, {}, {}, set(), set())).from_disk(tmp_path / "claims")
    assert copy.taxonomy.to_dict() == pipe.taxonomy.to_dict()
    assert copy.aliases.aliases == pipe.aliases.aliases and copy.aliases.lookup("NIS")


def test_figures_inside_a_source_are_not_claims(rules_nlp):
    doc = annotate(rules_nlp, "Two U.S. officials said 40 soldiers were killed.")
    assert [c.quantity_text for c in doc._.claims] == ["40"]


@pytest.mark.parametrize("text", [
    "The man was shot 41 times by police.",
    "The two women spoke for about five minutes.",
    "The lowest-paid workers make $12 an hour.",
    "The postings included one saying the mayor should resign.",
])
def test_frequencies_references_and_rates_are_not_claims(rules_nlp, text):
    assert annotate(rules_nlp, text)._.claims == []


def test_the_day_of_a_statement_is_not_the_time_of_the_figure(rules_nlp):
    doc = annotate(rules_nlp, "Around 400 soldiers were killed, a lawmaker said during a visit to Kyiv on Tuesday.")
    assert claim_at(doc, "400").time_text is None
    doc = annotate(rules_nlp, "In January, the ministry said 300 soldiers had died.")
    assert claim_at(doc, "300").time_text == "January"


def test_the_time_of_a_figure_compared_with_is_not_the_time_of_the_figure(rules_nlp):
    doc = annotate(rules_nlp, "Her estimate of the oil leaked so far is 40 million gallons, "
                              "or four times the amount spilled by the Sea Star in 1972.")
    assert claim_at(doc, "40 million gallons").time_text is None
    doc = annotate(rules_nlp, "The toll of 300 is higher than the 120 killed by the flood in 2019.")
    assert claim_at(doc, "300").time_text is None
    doc = annotate(rules_nlp, "In 2019, floods killed 120 people, four times the toll of the year before.")
    assert claim_at(doc, "120").time_text == "2019"


def test_a_quotation_over_several_sentences_keeps_its_speaker(rules_nlp):
    doc = annotate(rules_nlp, "“We buried 30 people today. Another 12 children are missing,” the mayor said.")
    assert claim_at(doc, "30").source_text == "the mayor"


def test_a_verb_of_saying_with_a_particle_of_another_sense_is_no_cue(nlp):
    doc = annotate(nlp, "Acme pays $2bn into relief fund as flood claims add up\n\nBody text.")
    assert claim_at(doc, "$2bn").source_text is None
    doc = annotate(nlp, "The toll rose to 40, he added.")
    assert claim_at(doc, "40").source_text == "he"


def test_a_possessive_statement_names_its_issuer(rules_nlp):
    doc = annotate(rules_nlp, "The ministry's statement said 45 people had been killed.")
    assert claim_at(doc, "45").source_text == "The ministry"


@pytest.mark.parametrize("text, source", [
    ("Zelensky: 4,000 North Korean soldiers killed or wounded\n\nBody text.", "Zelensky"),
    ("Floods kill 40 people in Bangladesh: police\n\nBody text.", "police"),
    ("Floods kill 40 people in Bangladesh: UN\n\nBody text.", "UN"),
    ("BREAKING: Floods kill 40 people\n\nBody text.", None),
])
def test_headline_colon_attribution(rules_nlp, text, source):
    doc = annotate(rules_nlp, text)
    assert doc._.claims[0].source_text == source


def test_relative_pronoun_source_takes_the_noun_it_modifies(rules_nlp):
    from newsie.components.claims.sources import _relative_antecedent

    doc = annotate(rules_nlp, "The ministry, which does not count fighters, said 85 people were killed.")
    which = next(t for t in doc if t.lower_ == "which")
    assert _relative_antecedent(which).text == "The ministry"


def test_an_undated_figure_takes_the_date_of_its_restatement(rules_nlp):
    doc = annotate(rules_nlp, "Rebels sent 3,000 more fighters, officials said.\n\n"
                              "The 3,000 fighters were deployed in January, the army said.")
    first, second = doc._.claims
    assert first.time_text == second.time_text == "January"


@pytest.mark.parametrize("text, kept, dropped", [
    ("The new iPhone 15 sold 40 million units.", ["40 million"], ["15"]),
    ("Airlines grounded 12 of their 737 Max jets.", ["12"], ["737"]),
    ("The index, like the FTSE 100, fell 2%.", ["2%"], ["100"]),
    ("The carmaker delivered 63,150 Model Y cars.", ["63,150"], []),
    ("Floods Kill 40 In Delta Region", ["40"], []),
])
def test_model_and_product_numbers_are_not_quantities(rules_nlp, text, kept, dropped):
    found = [s.text for s in annotate(rules_nlp, text)._.quantities]
    assert all(k in found for k in kept) and not any(d in found for d in dropped), found


def test_durations_written_with_a_number_carry_a_value_in_mentions(rules_nlp):
    from newsie.engine.rows import mention_rows

    doc = annotate(rules_nlp, "He served three years in prison and waited a month for the appeal.")
    rows = {r["text"]: r for r in mention_rows("d", doc, doc.text)}
    assert (rows["three years"]["value"], rows["three years"]["unit"]) == (3.0, "year")
    assert rows["a month"].get("value") is None
    assert not [c for c in doc._.claims if c.quantity_text == "three years"]
