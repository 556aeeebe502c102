"""Boilerplate masking keeps offsets and removes page furniture."""
from newsie.io.cleaning import is_removed, mask_boilerplate

ARTICLE = """Quake kills 300 in the north, officials say

The quake killed 300 people, officials said.
Photo: Reuters
The quake killed 300 people, officials said.

Share:

In Other News
Flooding displaces 5,000 in the south
About 2,500 workers lost their jobs.
"""


def test_masked_text_keeps_length_and_newlines():
    cleaned = mask_boilerplate(ARTICLE)
    assert len(cleaned.text) == len(ARTICLE)
    assert [i for i, c in enumerate(cleaned.text) if c == "\n"] == [i for i, c in enumerate(ARTICLE) if c == "\n"]


def test_tail_after_marker_is_removed():
    cleaned = mask_boilerplate(ARTICLE)
    tail = ARTICLE.index("In Other News")
    assert cleaned.text[tail:].strip() == ""
    assert is_removed(cleaned, ARTICLE.index("5,000"), ARTICLE.index("5,000") + 5)


def test_furniture_and_duplicate_lines_are_removed_but_first_copy_kept():
    cleaned = mask_boilerplate(ARTICLE)
    first = ARTICLE.index("The quake killed")
    second = ARTICLE.index("The quake killed", first + 1)
    assert cleaned.text[first:first + 16] == "The quake killed"
    assert cleaned.text[second:second + 16].strip() == ""
    assert "Photo: Reuters" not in cleaned.text
    assert "Share:" not in cleaned.text


def test_headline_and_body_untouched():
    cleaned = mask_boilerplate(ARTICLE)
    assert cleaned.text.startswith("Quake kills 300 in the north, officials say")


def test_timestamps_and_handles_are_furniture():
    text = "Body text with 40 dead.\n\n6 minutes ago\n@newsdesk\nExit mobile version\n"
    cleaned = mask_boilerplate(text)
    assert cleaned.text.strip() == "Body text with 40 dead."


def test_marker_on_first_line_is_not_a_tail():
    text = "Related\nA body paragraph about 12 injured people."
    assert "12 injured" in mask_boilerplate(text).text


def test_link_lines_offers_and_video_lengths_are_furniture():
    text = ("Floods kill 40 in the north\n"
            "Also read: Death toll rises to 13 in landslide\n"
            "Read More: Storm Hits Coast; at Least 90 Dead\n"
            "$1 for 3 months\n"
            "2 years ago 45\n"
            "03:17\n"
            "Rains killed 40 people, police said.\n")
    cleaned = mask_boilerplate(text)
    assert len(cleaned.text) == len(text)
    kept = [line for line in cleaned.text.split("\n") if line.strip()]
    assert kept == ["Floods kill 40 in the north", "Rains killed 40 people, police said."]


def test_shortcodes_inside_a_line_are_masked_and_the_rest_kept():
    text = "Police said [adblock id=3 img=banner.png] 40 people died [photo]in the flood[/photo]."
    cleaned = mask_boilerplate(text).text
    assert "adblock" not in cleaned and "id=3" not in cleaned and "[/photo]" not in cleaned
    assert "Police said" in cleaned and "40 people died" in cleaned and "in the flood" in cleaned
    assert len(cleaned) == len(text)
