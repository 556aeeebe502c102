"""The claims stage on the families of figures real articles hold, in the default pipeline.

Each family is a general rule; every sentence here was written for these tests.
"""
import datetime as dt

import pytest

from newsie.io.cleaning import mask_boilerplate


def annotate(nlp, text, published=dt.date(2024, 5, 1)):
    doc = nlp.make_doc(mask_boilerplate(text).text)
    doc._.published = published
    return nlp(doc)


def claims_of(nlp, text):
    return {c.quantity_text: c for c in annotate(nlp, text)._.claims}


# --- a count is a claim unless an exclusion says it is not ---------------------------------

@pytest.mark.parametrize("text, figures", [
    ("Police said 45 Afghans and 12 Pakistanis were detained at the border.", ["45", "12"]),   # demonyms
    ("More than 2,300 volunteers joined the search.", ["More than 2,300"]),                     # groups
    ("All 87 hikers were rescued on Sunday.", ["87"]),
    ("The army reported 512 abductions and 210 shootings last year.", ["512", "210"]),          # nominal events
    ("The convoy included 85 lorries and 40 fuel tankers.", ["85", "40"]),                       # things
    ("Inspectors counted 1,200 shells and 300 rifles.", ["1,200", "300"]),
    ("A total of 3,118 have now been registered, the agency said.", ["3,118"]),                  # bare figures
    ("About 250,000 have fled the fighting since March.", ["About 250,000"]),
    ("The tanker was leaking 3,000 barrels a day, the coast guard said.", ["3,000 barrels a day"]),  # flows
    ("Engineers put the flow at 8,000 barrels per day.", ["8,000 barrels per day"]),
    ("Engineers put the flow at 6,000 barrels daily.", ["6,000 barrels daily"]),
    ("Officials say nearly two million barrels of oil leaked into the lake after the blast.",
     ["nearly two million barrels"]),                                                           # a spill's volume
    ("Those estimates put the amount of fuel spilt into the river at around 4 million gallons.",
     ["around 4 million gallons"]),
    ("The 3,000-barrels-a-day figure was produced quickly by the agency.", ["3,000-barrels-a-day"]),  # a rate
    ("Experts doubt the official 8,000 barrel-per-day estimate.", ["8,000 barrel-per-day"]),       # on a report noun
    ("The rebels massed a 4,000-strong force near the town.", ["a 4,000-strong"]),              # strength
    ("Kenya hosts 300,000 refugees, Uganda 250,000 and Chad 120,000.", ["250,000", "120,000"]),  # places listed
    ("Gunmen killed the governor and his two bodyguards.", ["two"]),                           # possessive
    ("A farmer, who gave an initial death toll of 19, said more had drowned.", ["19"]),         # a clause on the source
])
def test_counts_of_people_and_things_are_claims(nlp, text, figures):
    assert set(figures) <= set(claims_of(nlp, text))


@pytest.mark.parametrize("text, figure, other", [
    ("The commander said the flow varied from a low rate of 2000 barrels a day to a high of 5,000 barrels.",
     "2000 barrels a day", "5,000 barrels"),
])
def test_a_four_digit_number_with_a_unit_is_no_year(nlp, text, figure, other):
    """'2000 barrels a day' is no year: the figure is a claim and dates nothing in its sentence."""
    claims = claims_of(nlp, text)
    assert figure in claims and claims[figure].unit == "barrel per day"
    assert claims[other].time_start is None  # no year 2000 in the sentence
    built = claims_of(nlp, "The plant was built in 2000 and makes 3,000 tonnes a year.")
    assert [q for q in built if "2000" in q] == []  # a year with no unit after it stays a year


@pytest.mark.parametrize("text, figure", [
    ("The man was shot 41 times.", "41"),                                   # not counted
    ("The retirement age will rise from 62 to 64.", "62"),
    ("The town lies some 250 kilometers from the capital.", "250"),        # a length
    ("Troops were deployed 30 km from the border.", "30 km"),               # where, not what
    ("The cars plunged as much as 40 meters into the gorge.", "40 meters"),  # how far
    ("The runners ran 5 miles.", "5 miles"),
    ("The town lies 20 km from the coast and 30 km from the border.", "30 km"),  # listed with no claim
    ("Congress blocked a shipment of 1,800 2,000-lb bombs.", "2,000-lb"),  # a size on a noun
    ("The fire gutted a 12-storey building.", "12"),
    ("A Boeing 737-800 carrying 62 people crashed.", "737-800"),           # a model number
    ("The quake, a magnitude 6.1 tremor, shook the coast.", "6.1"),        # a label or a scale
    ("Smith, 52, said the village had 400 homes.", "52"),                  # ages
    ("The dead included children aged under five.", "five"),
    ("Those most at risk are infants from six to 11 months old.", "six"),
    ("Residents fled on 7 and 8 October as 60 houses burned.", "7"),       # a day joined to a date
    ("The mayor, who is 61, met the families.", "61"),
    ("The vote closes at 6 o’clock tonight.", "6"),                        # an hour
    ("See post 783491630540001280 for the footage.", "783491630540001280"),  # an identifier
    ("The two women spoke to reporters.", "two"),                          # a reference back
    ("The firm pays $12 an hour.", "$12"),                                 # a rate
    ("Crude traded at $75 a barrel on Monday.", "$75"),
    ("The town, with a population of 90,000, lost power.", "90,000"),      # what a noun amounts to
    ("The arena has a capacity of 21,000 seats.", "21,000"),
    ("The tanker held 2 million barrels of oil when it ran aground.", "2 million"),  # no spill, no event
    ("The tanker carries a 40,000-barrel cargo.", "40,000-barrel"),                 # a size, not a rate
])
def test_named_exclusions_keep_non_figures_out(nlp, text, figure):
    claims = claims_of(nlp, text)
    assert not [q for q in claims if figure in q], claims


def test_each_exclusion_is_named():
    from newsie.components.claims.exclusions import EXCLUSIONS, MONEY_EXCLUSIONS

    assert {"not counted", "measure", "size on a noun", "inside a name", "label number", "age",
            "part of a date", "identifier", "reference back", "rate", "fraction"} <= set(EXCLUSIONS)
    assert set(MONEY_EXCLUSIONS) <= set(EXCLUSIONS)


def test_the_exclusion_that_applies_is_reported(nlp):
    from newsie.components.claims.counted import counted_noun, event_type, number_token
    from newsie.components.claims.exclusions import exclusion

    doc = annotate(nlp, "Flight 9268 was carrying 224 passengers and some 30 tonnes of mail.")
    taxonomy = nlp.get_pipe("newsie_claims").taxonomy
    reasons = {}
    for span in doc._.quantities:
        number = number_token(span)
        noun = counted_noun(number, span)
        reasons[span.text] = exclusion(span._.quantity, number, noun, event_type(number, noun, span, taxonomy), taxonomy)
    assert reasons.get("224") is None
    assert reasons.get("some 30 tonnes") == "measure"


# --- sources ----------------------------------------------------------------------------------

def test_a_dateline_is_never_a_source(nlp):
    said = claims_of(nlp, "WELLINGTON, New Zealand (AP) — Nine people died in a landslide, police said.")
    assert said["Nine"].source_text == "police"
    unsaid = claims_of(nlp, "LIMA, Peru (AP) — Floods killed 14 people on Sunday.")
    assert unsaid["14"].source_text is None


@pytest.mark.parametrize("text, figure, canonical", [
    ("The World Food Programme warned of famine. It said 40,000 people faced starvation.", "40,000",
     "World Food Programme"),
    ("The numbers come from a report by the International Rescue Committee (IRC). "
     "The committee said 300 families had lost their homes.", "300", "International Rescue Committee"),
    ("Oxfam published its report on Monday. Local surveys estimate the toll at 9,000. It said 2,000 more may have died.",
     "2,000 more", "Oxfam"),                                                 # "it" is singular
    ("The Human Rights Commission met on Monday. The killings began after the Liberation Front shot three farmers, it said.",
     "three", "Human Rights Commission"),                                   # not a body inside what it says
])
def test_pronouns_and_generic_nouns_name_the_body_meant(nlp, text, figure, canonical):
    doc = annotate(nlp, text)
    claim = next(c for c in doc._.claims if c.quantity_text == figure)
    assert claim.source_canonical == canonical
    attribution = doc._.attributions[claim.attribution_index]
    assert attribution.antecedent is not None and canonical.split()[-1] in attribution.antecedent.text


def test_a_quoted_speaker_is_not_the_words_of_the_quote(nlp):
    claims = claims_of(nlp, "“We recorded 512 killings and 300 injuries in the province,” Maria Lopez, "
                            "a spokeswoman for the agency, told reporters.")
    assert claims["512"].source_canonical == "Maria Lopez" and claims["512"].event_type == "killed"
    assert claims["300"].event_type == "wounded"


@pytest.mark.parametrize("text, figure, source", [
    ("Six miners are known to have died, reported the state news agency.", "Six", "the state news agency"),
    ("The governor's office lowered the number of confirmed dead to 41.", "41", "The governor's office"),
    ("Local officials raised the region's toll by 120 on Sunday.", "120", "Local officials"),
])
def test_speakers_after_the_figure_and_figure_setters(nlp, text, figure, source):
    assert claims_of(nlp, text)[figure].source_text == source


def test_finding_bodies_is_not_saying(nlp):
    claim = claims_of(nlp, "Rescuers found 15 bodies in the rubble.")["15"]
    assert claim.source_text is None and claim.event_type == "killed"


# --- event types ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, figure, event", [
    ("The blaze claimed at least 19 lives.", "at least 19", "killed"),
    ("Nine people lost their lives in the storm.", "Nine", "killed"),
    ("Floods raised the official death toll to 61.", "61", "killed"),
    ("Gunmen carried out 34 kidnappings in the province.", "34", ("other", "arrested")),
    ("Another 31 were confirmed as injured.", "Another 31", "wounded"),
    ("About 3,000 rescuers were sent to the valley.", "About 3,000", "deployed"),
    ("The city deployed 500 police officers.", "500", "deployed"),
    ("The ministry counted 1,800 munitions at the port.", "1,800", "supplied"),
    ("The agency recorded 74 deaths this year, including 24 children.", "24", "killed"),
    ("Officials said 14 people were still unaccounted for.", "14", ("other", "missing")),
    ("The agency said 45 tons of aid were delivered to the valley.", "45 tons", "supplied"),
    ("Officials said there were 30 dead and injured.", "30", "casualties"),
    ("Divers rescued 18 people from the river.", "18", ("other", "rescued")),
    ("Around 100 guests fell ill after the banquet.", "Around 100", "infected"),
    ("Officials said 94 sailors were admitted to hospital.", "94", ("wounded", "hospitalized")),
    ("The storm left 62 homes without roofs.", "62", ("other", "damaged")),
    ("The tornado that killed two people also hit 45 houses in the county.", "45", ("other", "damaged")),
    ("The blast left 3 dead and 14 hurt.", "14", "wounded"),
    ("Six of the dead were foreigners, officials said.", "Six", "killed"),
    ("The clinic admitted 120 patients with cholera, the ministry said.", "120", "infected"),
    ("Doctors treated 45 patients after the bus crash.", "45", ("wounded", "hospitalized")),
    ("Donors pledged $25 million in aid for the region.", "$25 million", ("other", "funding")),
    ("Customs officers seized 3 tons of heroin at the port.", "3 tons", ("other", "seized")),
    ("The damaged pipeline spilled 9,000 barrels of crude.", "9,000 barrels", ("other", "spilled")),
    ("Some 200 miles of coastline have been contaminated by the spill.", "Some 200 miles", ("other", "damaged")),
    ("The fire has burned 3 miles of fence.", "3 miles", ("other", "damaged")),          # a length of something
    ("Some 200 miles of coastline have been contaminated: 120 miles in Texas and 80 miles in Maine.",
     "80 miles", ("other", "damaged")),                                                    # listed with it
    # a preposition phrase names the type where no word of the clause does
    ("After the crash, 27 passengers were taken to nearby hospitals.", "27", ("wounded", "hospitalized")),
    ("Eleven climbers remain in a critical condition, the rescue service said.", "Eleven", ("wounded", "hospitalized")),
    ("The fire killed four, with 16 others fighting for their lives.", "16", ("wounded", "hospitalized")),
    ("At least nine farmers froze to death during the cold snap.", "At least nine", "killed"),
    ("Two more patients died at the clinic overnight.", "Two more", "killed"),         # the clause's event
    ("Rescuers put the death toll at 80 and the number of injured at 150.", "150", "wounded"),  # what the number is of
    ("At least 20 climbers who died on the glacier were recovered.", "At least 20", "killed"),  # a relative clause
    ("Among those injured were 14 pupils from the village school.", "14", "wounded"),            # the group of
    ("The tanker spilled oil for weeks; crews were capturing 3,000 barrels a day by June.",        # a measure counts
     "3,000 barrels a day", ("other", "recovered")),                                              # no people
    ("Skimmers have collected 12,000 gallons of diesel from the bay.", "12,000 gallons", ("other", "recovered")),
    ("Planes sprayed 30,000 gallons of retardant on the fire.", "30,000 gallons", ("other", "applied")),
    ("Doctors applied 40 stitches to the wound.", "40", "other"),                            # applied: measures only
    ("Police captured 12 suspects after the raid.", "12", ("other", "arrested")),                # people: an arrest
    ("Divers recovered 14 people alive from the ferry.", "14", "other"),                         # recovered: measures only
    ("The cost of the refinery spill has reached $40 million, the company said.", "$40 million", "other"),
    ("Police detained 3 men who killed 20 people.", "3", ("other", "arrested")),                # not the killers
    ("The blast left 50 dead, with over 400 confirmed injured.", "over 400", "wounded"),  # predicated on the figure
    ("About 3,000 rescuers searched for signs of life in the rubble.", "About 3,000", "deployed"),  # not "lives"
    ("About 3,000 rescuers were using detection devices to search the rubble.", "About 3,000", "deployed"),  # a derived noun as a modifier
    ("The bus crash killed three, with a further 12 with serious burns.", "a further 12", "wounded"),
    ("Lightning struck the tower, killing 11 people and injuring others.", "11", "killed"),  # own clauses
    ("Investigators have identified 40 victims so far.", "40", "killed"),               # a fallback noun
    ("The fighting has left more than 40 amputees in the village.", "more than 40", "wounded"),
    ("Surgeons amputated the legs of 12 miners after the collapse.", "12", "wounded"),
])
def test_event_types(nlp, text, figure, event):
    """A coarse kind in event_type, a finer type of the taxonomy in event_detail."""
    claim = claims_of(nlp, text)[figure]
    event_type, detail = event if isinstance(event, tuple) else (event, None)
    assert (claim.event_type, claim.event_detail) == (event_type, detail)


def test_a_type_added_in_config_works_end_to_end(tmp_path):
    """A user adds an "evacuated" type to a copy of the event types and runs newsie with it."""
    from typer.testing import CliRunner

    import pandas as pd

    from newsie.cli import app
    from newsie.paths import CONFIGS

    types = (CONFIGS / "event_types.cfg").read_text(encoding="utf-8")
    types = types.replace('order = ["casualties",', 'order = ["evacuated", "casualties",', 1)
    types += '\n[types.evacuated]\nnouns = ["evacuee"]\nverbs = ["evacuate"]\nfallback_nouns = []\n'
    (tmp_path / "event_types.cfg").write_text(types, encoding="utf-8")
    pipeline_cfg = (CONFIGS / "pipeline.cfg").read_text(encoding="utf-8").replace(
        'event_types = "${paths.configs}/event_types.cfg"', f'event_types = "{tmp_path / "event_types.cfg"}"')
    (tmp_path / "pipeline.cfg").write_text(pipeline_cfg, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "storm.txt").write_text("Officials evacuated 2,400 people from the coast on Monday.\n",
                                               encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                      "--config", str(tmp_path / "pipeline.cfg"), "--published", "2024-05-01"])
    assert result.exit_code == 0, result.output
    claims = pd.read_parquet(tmp_path / "out" / "claims")
    row = claims.set_index("quantity_text").loc["2,400"]
    assert (row["event_type"], row["event_detail"]) == ("other", "evacuated")


def test_a_ministry_named_by_its_function_is_not_a_reference_back(nlp):
    claim = claims_of(nlp, "The Red Cross Society put the toll at 800.\nThe transport ministry said 40 more "
                           "people were injured.")["40 more"]
    assert claim.source_canonical == "transport ministry"


def test_a_speaker_inside_what_they_say_can_be_what_they_name(nlp):
    claim = claims_of(nlp, "Officials met on Monday. By noon, the toll as confirmed by the National Fire Agency "
                           "topped 1,217, they said.")["topped 1,217"]
    assert claim.source_canonical == "National Fire Agency"


def test_a_title_before_a_name_in_apposition_is_not_part_of_the_canonical_name(nlp):
    claim = claims_of(nlp, "Two more patients died overnight, according to the clinic's director Maria Okafor.")["Two more"]
    assert claim.source_canonical == "Maria Okafor"
