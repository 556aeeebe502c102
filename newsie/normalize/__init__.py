"""Pure normalizers over strings: numbers, dates, names. No spaCy model needed to test them."""
