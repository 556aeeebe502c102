"""HTML -> article text with trafilatura. Nothing is fetched: we only parse the string given."""
from __future__ import annotations


def extract_article(html: str) -> tuple[str, dict]:
    """(main text, metadata). Offsets downstream refer to this extracted text, which the
    documents table keeps so every row stays checkable."""
    import trafilatura

    result = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                         with_metadata=True, favor_precision=True)
    if result is None:
        raise ValueError("no article text found in HTML")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        raise ValueError("no article text found in HTML")
    title = data.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text, {"title": title, "url": data.get("url"), "date": data.get("date")}
