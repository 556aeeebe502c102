"""Boilerplate masking keeps offsets and removes page furniture."""
from pipeline.io.cleaning import is_removed, mask_boilerplate

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
