"""Metadata for machines, derived from an article: schema.org JSON-LD.

A template calls it (``news_article_json_ld(site, article)``), so a page's data holds only
the article and the config, which its fingerprint already covers.
"""

from __future__ import annotations

from typing import Any

from sitegen.config import Config
from sitegen.model import Article


def news_article_json_ld(config: Config, article: Article) -> dict[str, Any]:
    """schema.org NewsArticle metadata for search engines and archivers."""
    canonical = config.base_url + article.url.lstrip("/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "inLanguage": article.language,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
    }
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.summary:
        data["description"] = article.summary
    if article.topics:
        data["articleSection"] = list(article.topics)
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.image:
        data["image"] = article.image if "://" in article.image else config.base_url + article.image.lstrip("/")
    return data
