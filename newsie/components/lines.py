"""Stage 0: line breaks as sentence boundaries, before the parser runs.

Scraped news puts headlines, datelines, captions and paragraphs on lines of their own,
often without final punctuation ("... as cases top 10,000" then "LUSAKA (Reuters) -").
The parser would run them together into one sentence and misattach their figures. A
blank line, or a line break after sentence-final punctuation or after a short line (a
headline), starts a new sentence; a hard-wrapped line inside a paragraph does not.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

HEADLINE_MAX_CHARS = 90
FINAL = tuple('.!?:"”’)')


@Language.factory("newsie_line_breaks", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str):
    return LineBreaks(name)


class LineBreaks:
    def __init__(self, name: str = "newsie_line_breaks"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" not in previous.text_with_ws or token.is_space:
                continue
            line_end = previous.idx + len(previous.text_with_ws.rstrip("\n \t"))
            line_start = text.rfind("\n", 0, line_end) + 1
            line = text[line_start:line_end].strip()
            blank_line = previous.text_with_ws.count("\n") + previous.text.count("\n") >= 2 or previous.is_space
            if blank_line or line.endswith(FINAL) or len(line) <= HEADLINE_MAX_CHARS:
                token.is_sent_start = True
        return doc
