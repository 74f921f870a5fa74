"""The extraction cache: one JSON file per (article content, extractor version).

Extraction is by far the slowest stage, and its output depends only on the
article's bytes, its id and the extractor's rules. Keying the cache on those
makes an unchanged re-run do no extraction work, while any edit to the file
or to the rules misses the cache. The cache is a plain folder the user may
delete at any time (`rm -rf .kg/cache`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from kg.model import Article, Event, Extraction, Fact, Mention


def extraction_to_dict(extraction: Extraction) -> dict:
    return asdict(extraction)


def extraction_from_dict(data: dict) -> Extraction:
    return Extraction(
        article=Article(**data["article"]),
        mentions=[Mention(**m) for m in data["mentions"]],
        events=[Event(**e) for e in data["events"]],
        facts=[Fact(**f) for f in data["facts"]],
    )


class ExtractionCache:
    """Extractions on disk, keyed so that a stale entry can never be returned."""

    def __init__(self, folder: str | Path, extractor_version: str) -> None:
        self.folder = Path(folder)
        self.extractor_version = extractor_version

    def _path(self, article_id: str, sha256: str) -> Path:
        key = hashlib.sha256(
            f"{self.extractor_version}\0{article_id}\0{sha256}".encode()
        ).hexdigest()[:32]
        return self.folder / key[:2] / f"{key}.json"

    def get_stored(self, article_id: str, sha256: str) -> Extraction | None:
        """The cached extraction of an article as it was when it was cached
        (used to keep an earlier version when its file has become unreadable)."""
        try:
            data = json.loads(self._path(article_id, sha256).read_text(encoding="utf-8"))
            return extraction_from_dict(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable entries are simply re-extracted

    def get(self, article: Article) -> Extraction | None:
        """The cached extraction of this exact article, or None.

        The cached article metadata is replaced by the fresh one, so a moved
        file (same bytes, new path) still hits the cache with its new path.
        """
        cached = self.get_stored(article.id, article.sha256)
        if cached is None:
            return None
        cached.article = article
        return cached

    def put(self, extraction: Extraction) -> None:
        """Write atomically, so a killed build never leaves a torn entry."""
        path = self._path(extraction.article.id, extraction.article.sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(extraction_to_dict(extraction), handle, ensure_ascii=False)
        os.replace(tmp, path)
