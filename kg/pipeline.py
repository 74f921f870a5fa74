"""`build()`: ingest -> extract -> resolve -> load, the one place the stages meet.

The stored graph is always recomputed as a pure function of the set of
articles it holds, then written with `GraphStore.replace_graph`. That is what
makes re-runs idempotent and keeps provenance exact: a changed article's old
facts, or a removed article's facts, cannot survive because nothing
remembers them except the articles themselves. The extraction cache makes
the recomputation cheap (an unchanged article is never re-read by spaCy).

Which articles the graph holds after a build:
- every good article under the given paths;
- articles loaded by earlier builds from elsewhere (other folders) whose files
  still exist, so `kg build a/` then `kg build b/` keeps both;
- an earlier article whose file is now bad input keeps its earlier version
  (bad input never loses what the graph had);
- an earlier article whose file is gone is retracted.
`rebuild=True` forgets earlier builds and starts from empty.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.cache import ExtractionCache
from kg.errors import IngestError, StrictModeError
from kg.model import Article, Extraction, Graph, SkippedFile
from kg.store import is_neo4j_target, open_store, resolve_target
from kg.store.base import GraphStore, LoadReport

#: (stage, done, total) -> None; the CLI draws progress bars with it
ProgressCallback = Callable[[str, int, int], None]

ALIASES_FILE_NAME = "kg-aliases.yml"


def state_dir() -> Path:
    """Where kg keeps its cache and explanations (`KG_HOME`, default `.kg`)."""
    return Path(os.environ.get("KG_HOME", ".kg"))


@dataclass
class BuildOptions:
    paths: Sequence[str]
    target: str | None = None
    workers: int = 1
    rebuild: bool = False
    aliases: str | None = None
    strict: bool = False
    use_cache: bool = True


@dataclass
class BuildReport:
    target: str
    articles: int = 0
    extracted: int = 0
    from_cache: int = 0
    kept_from_earlier: int = 0
    retracted: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    node_counts: dict[str, int] = field(default_factory=dict)
    relationship_counts: dict[str, int] = field(default_factory=dict)
    load: LoadReport = field(default_factory=LoadReport)

    def to_dict(self) -> dict:
        return asdict(self)


def build(options: BuildOptions, progress: ProgressCallback | None = None) -> BuildReport:
    """Build (or update) the graph in the target store from the given paths.

    Raises `StoreUnavailableError` before any extraction when the store cannot
    be opened, and `StrictModeError` after loading everything when
    `options.strict` is set and some files were skipped.
    """
    from kg.ingest import ingest

    report = BuildReport(target=resolve_target(options.target))
    with open_store(options.target) as store:
        store.ensure_schema()
        articles, report.skipped = ingest(options.paths)
        cache = _cache(options)
        previous = [] if options.rebuild else _stored_articles(store)
        extractions = _extractions_for(articles, cache, options, report, progress)
        extractions += _earlier_extractions(previous, articles, report, cache, options)
        graph = _resolve(extractions, options)
        if options.rebuild:
            store.clear()
        report.load = store.replace_graph(graph)
        save_reasons(report.target, graph)
        report.articles = sum(1 for n in graph.nodes if n.label == "Article")
        report.node_counts = graph.node_counts()
        report.relationship_counts = graph.relationship_counts()
    if options.strict and report.skipped:
        raise StrictModeError(f"{len(report.skipped)} input file(s) skipped (--strict)", report)
    return report


# -- extraction ----------------------------------------------------------------------


def _cache(options: BuildOptions) -> ExtractionCache | None:
    if not options.use_cache:
        return None
    from kg.extract import EXTRACTOR_VERSION

    return ExtractionCache(state_dir() / "cache", EXTRACTOR_VERSION)


def _extractions_for(
    articles: list[Article],
    cache: ExtractionCache | None,
    options: BuildOptions,
    report: BuildReport,
    progress: ProgressCallback | None,
) -> list[Extraction]:
    """Cached extractions where the cache has them, fresh ones for the rest."""
    done: dict[str, Extraction] = {}
    missing: list[Article] = []
    for article in articles:
        hit = cache.get(article) if cache else None
        if hit is None:
            missing.append(article)
        else:
            done[article.id] = hit
    report.from_cache = len(done)
    for extraction in extract_all(missing, workers=options.workers, progress=progress):
        done[extraction.article.id] = extraction
        if cache:
            cache.put(extraction)
    report.extracted = len(missing)
    return [done[a.id] for a in articles]


def extract_all(
    articles: Sequence[Article], workers: int = 1, progress: ProgressCallback | None = None
) -> list[Extraction]:
    """Extract every article, in `workers` processes when more than one.

    Each worker process loads the spaCy model once; articles travel in small
    chunks so the progress bar moves and the two cores stay busy.
    """
    from kg.extract import extract_articles

    total = len(articles)
    if progress:
        progress("extract", 0, total)
    if total == 0:
        return []
    results: list[Extraction] = []
    if workers <= 1 or total == 1:
        for extraction in extract_articles(articles):
            results.append(extraction)
            if progress:
                progress("extract", len(results), total)
        return results
    chunks = [list(articles[i : i + 4]) for i in range(0, total, 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(_extract_chunk, chunks):
            results.extend(batch)
            if progress:
                progress("extract", len(results), total)
    return results


def _extract_chunk(articles: list[Article]) -> list[Extraction]:
    from kg.extract import extract_articles

    return list(extract_articles(articles))


# -- earlier builds ------------------------------------------------------------------


def _stored_articles(store: GraphStore) -> list[dict]:
    return store.query(
        "MATCH (a:Article) RETURN a.id AS id, a.path AS path, a.sha256 AS sha256 ORDER BY a.id"
    )


def _earlier_extractions(
    previous: list[dict],
    articles: list[Article],
    report: BuildReport,
    cache: ExtractionCache | None,
    options: BuildOptions,
) -> list[Extraction]:
    """Extractions of articles an earlier build loaded that this one did not read."""
    from kg.ingest import read_article

    current_ids = {a.id for a in articles}
    current_paths = {_real(a.path) for a in articles}
    skipped_paths = {_real(s.path) for s in report.skipped}
    kept: list[Extraction] = []
    for row in previous:
        real = _real(row["path"])
        if row["id"] in current_ids or real in current_paths:
            continue  # read again in this build
        extraction = None
        if real in skipped_paths:
            extraction = _cached_earlier(row, cache, report)
        elif Path(real).is_file() and not _under(Path(real), options.paths):
            try:
                article = read_article(Path(row["path"]))
                extraction = _extractions_for([article], cache, options, BuildReport(""), None)[0]
            except IngestError:
                extraction = _cached_earlier(row, cache, report)
        if extraction is None:
            report.retracted.append(row["id"])
        else:
            report.kept_from_earlier += 1
            kept.append(extraction)
    return kept


def _cached_earlier(
    row: dict, cache: ExtractionCache | None, report: BuildReport
) -> Extraction | None:
    """The earlier version of an article whose file is now bad input."""
    extraction = cache.get_stored(row["id"], row["sha256"]) if cache else None
    if extraction is None:
        report.warnings.append(
            f"{row['path']}: unreadable now and its earlier version is not cached; retracted"
        )
    return extraction


def _real(path: str) -> str:
    return os.path.realpath(path)


def _under(path: Path, roots: Sequence[str]) -> bool:
    """Is `path` one of the given roots or inside one of them?"""
    real = Path(_real(str(path)))
    for root in roots:
        root_real = Path(_real(root))
        if real == root_real or root_real in real.parents:
            return True
    return False


# -- resolve and explanations ----------------------------------------------------------


def _resolve(extractions: list[Extraction], options: BuildOptions) -> Graph:
    from kg.resolve import load_overrides, resolve

    aliases_path = options.aliases or _default_aliases_file(options.paths)
    overrides = load_overrides(aliases_path) if aliases_path else None
    return resolve(extractions, overrides)


def _default_aliases_file(paths: Sequence[str]) -> str | None:
    """`kg-aliases.yml` beside (or inside) the first input folder, if present."""
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        for candidate in (folder / ALIASES_FILE_NAME, folder.parent / ALIASES_FILE_NAME):
            if candidate.is_file():
                return str(candidate)
    return None


def _reasons_path(target: str) -> Path:
    """One file per store; a path target is made absolute so that `g.lbdb`
    and `./g.lbdb` name the same store."""
    if not is_neo4j_target(target):
        target = str(Path(target).resolve())
    digest = hashlib.sha256(target.encode()).hexdigest()[:16]
    return state_dir() / "explain" / f"{digest}.json"


def save_reasons(target: str, graph: Graph) -> None:
    """Keep the resolver's merge reasons beside the store for `kg explain`
    (they explain the graph; they are not facts, so they stay out of it)."""
    path = _reasons_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"target": target, "reasons": [asdict(r) for r in graph.reasons]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def load_reasons(target: str | None) -> list[dict]:
    path = _reasons_path(resolve_target(target))
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("reasons", [])
