"""narratrace: follow a story across outlets, languages and years."""

__version__ = "0.1.0"
