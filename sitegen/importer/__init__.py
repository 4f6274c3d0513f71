"""Scraped news pages (plain text or saved HTML) into clean articles with front matter."""

from sitegen.importer.batch import ImportReport, import_pages

__all__ = ["ImportReport", "import_pages"]
