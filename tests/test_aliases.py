"""Name normalizers: Schwartz & Hearst acronyms, titles, name variants, the alias file."""
from newsie.normalize.aliases import (AliasTable, find_abbreviations, normalize_name, same_person,
                                        strip_titles)


def test_schwartz_hearst_finds_long_forms():
    text = "the World Health Organization (WHO) and South Korea's National Intelligence Service (NIS) said"
    pairs = {(short, long) for short, long, _ in find_abbreviations(text)}
    assert ("WHO", "World Health Organization") in pairs
    assert ("NIS", "National Intelligence Service") in pairs


def test_schwartz_hearst_offsets_point_at_long_form():
    text = "officials at the Joint Chiefs of Staff (JCS) said"
    (short, long_form, start), = find_abbreviations(text)
    assert text[start:start + len(long_form)] == long_form == "Joint Chiefs of Staff"


def test_parenthetical_that_is_not_an_acronym_is_ignored():
    assert find_abbreviations("the agency (which declined to comment) said") == []
    assert find_abbreviations("12,000 troops (about 4 brigades)") == []


def test_titles_and_demonyms_are_stripped():
    assert strip_titles("Ukrainian President Volodymyr Zelenskyy") == "Volodymyr Zelenskyy"
    assert strip_titles("Prime Minister Elisabeth Borne") == "Elisabeth Borne"
    assert strip_titles("Zelensky") == "Zelensky"


def test_transliterated_surnames_match():
    assert same_person("Zelensky", "Volodymyr Zelenskyy")
    assert same_person("Borne", "Prime Minister Elisabeth Borne")
    assert not same_person("Putin", "Volodymyr Zelenskyy")


def test_alias_table_normalizes_keys(tmp_path):
    path = tmp_path / "aliases.tsv"
    path.write_text("# comment\nsouth korea's spy agency\tNational Intelligence Service\n", encoding="utf-8")
    table = AliasTable.from_file(path)
    assert table.lookup("South Korea’s spy agency") == "National Intelligence Service"
    assert table.lookup("the South Korea's Spy Agency") == "National Intelligence Service"
    assert table.lookup("spy agency") is None


def test_normalize_name():
    assert normalize_name("The  NIS’s") == "nis"


def test_clean_name_drops_edge_punctuation_titles_and_balances_brackets():
    from newsie.normalize.aliases import clean_name

    assert clean_name("the ministry's spokesman, Ahmed Karim,") == "Ahmed Karim"
    assert clean_name("World Food Programme (WFP") == "World Food Programme (WFP)"
    assert clean_name("“Health officials") == "Health officials"
    assert clean_name("Health Minister, Jane Doe") == "Health Minister, Jane Doe"  # a title of her own: kept
    assert clean_name("Ethiopia, a country in the Horn of Africa,") == "Ethiopia, a country in the Horn of Africa"


def test_a_body_is_no_place_and_ocha_has_one_name():
    from newsie.crossdoc.settings import load_settings
    from newsie.crossdoc.sources import resolver_from

    settings = load_settings()
    resolver = resolver_from({}, [], AliasTable.from_file(settings.alias_file), settings.government_words)
    assert resolver.resolve("Kenyan officials") == "Kenyan government"
    assert resolver.resolve("UN officials") in (None, "United Nations officials")
    assert "government" not in (resolver.resolve("WHO figures") or "")
    ocha = {resolver.resolve(n) for n in ("OCHA", "UN humanitarian office",
                                          "United Nations Office for the Coordination of Humanitarian Affairs")}
    assert ocha == {"UN Office for the Coordination of Humanitarian Affairs"}
    assert resolver.resolve("the ministry's spokesman, Ahmed Karim,") == "Ahmed Karim"
