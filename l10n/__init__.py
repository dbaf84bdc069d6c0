"""News localisation pipeline: HTML articles to gettext catalogues and back to localised pages."""

__version__ = "0.1.0"
