"""sitegen: a static-site archive generator for curated articles."""

__version__ = "0.1.0"
