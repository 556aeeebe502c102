"""newsie: news articles in, sourced event records out."""

__version__ = "0.4.6"
