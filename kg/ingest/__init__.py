"""Ingest: files and folders -> clean `Article`s, and a reason for every file
that could not be used.

Public API: `iter_input_files`, `read_articles`, `read_article`, `ingest`.

Ids. An article's id is its file name without the extension (the gold files
and the graph contract rely on that). A .json/.jsonl file holding several
records gives one article per record: the first record keeps the bare stem,
record N (N > 1, the list position, or the line number in JSON Lines) gets
"<stem>-<N>", so ids stay put when a broken line is fixed. When two files
would get the same id (same name in two folders), the first by sorted path
keeps it and each later one gets "-" plus 8 hex digits of the SHA-1 of its
path relative to the input folder it was found in: stable across runs and
across the spelling of the input folder.

Duplicates. Two articles with the same cleaned text (compared case- and
space-insensitively) are one article: the first by sorted path is kept and
the other is reported as "duplicate of <path>".
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import IngestError
from kg.ingest import formats as fmt
from kg.ingest.clean import dedupe_key
from kg.ingest.data import formats
from kg.ingest.decode import decode_bytes, sniff_binary
from kg.model import Article, SkippedFile

__all__ = ["MAX_BYTES", "ingest", "iter_input_files", "read_article", "read_articles"]

MAX_BYTES = 20_000_000  # 20 MB: far above any news article, well below memory trouble
_MB = 1_000_000
_SNIFF = 64


# -- finding files ---------------------------------------------------------------------


def _walk(root: Path, seen_dirs: set[str]) -> Iterator[tuple[Path, str]]:
    """Files under `root` with their path relative to it. Hidden entries are
    skipped; a directory already visited (by real path) is not entered again,
    which is what stops symlink loops. A directory that cannot be listed is
    yielded itself so that reading it reports the problem."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield folder, str(folder.relative_to(root))
            continue
        for entry in reversed(entries):
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                real = os.path.realpath(path)
                if real not in seen_dirs:
                    seen_dirs.add(real)
                    stack.append(path)
                elif entry.is_symlink():
                    yield path, str(path.relative_to(root))  # reported as a link loop
            else:
                yield path, str(path.relative_to(root))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """is_dir() that treats a symlink loop as a (bad) file, not an error."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _discover(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(path, path relative to its input folder) for every input file, sorted."""
    found: dict[str, tuple[Path, str]] = {}
    seen_dirs: set[str] = set()
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            seen_dirs.add(os.path.realpath(root))
            for path, rel in _walk(root, seen_dirs):
                found.setdefault(str(path), (path, rel))
        elif os.path.lexists(root):
            found.setdefault(str(root), (root, root.name))
        else:
            raise IngestError(f"no such file or directory: {root}")
    return sorted(found.values(), key=lambda item: str(item[0]))


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under the given files and folders, sorted by path.

    Raises IngestError for an input path that does not exist (a typo should
    stop the build, not produce an empty graph)."""
    for path, _rel in _discover(paths):
        yield path


# -- reading one file ------------------------------------------------------------------


def _os_reason(exc: OSError, path: Path) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link" if path.is_symlink() else "file disappeared while reading"
    return f"cannot read: {exc.strerror or exc}"


def _directory_reason(path: Path) -> str:
    """Why a folder reached the reader: `_walk` yields a symbolic link to a
    folder it has already read (a loop, or a second way into the same folder)
    so that the user sees it instead of silence."""
    if not path.is_symlink():
        return "is a directory"
    target = Path(os.path.realpath(path))
    parent = Path(os.path.realpath(path.parent))
    if target == parent or target in parent.parents:
        return f"symbolic link loop (points back to {target})"
    return f"symbolic link to a folder already read ({target})"


def _printable_path(path: Path) -> str | None:
    """The path as text when the file name is not valid UTF-8 (None when it is).

    Such a name holds lone surrogates in Python; it cannot be written to the
    cache key, the terminal, JSON or the graph store, so the file is skipped
    and named with the bad bytes escaped."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return name
    return "special file"


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, str]:
    """The file's bytes and its reader name. Never opens a FIFO or a device,
    never reads past the size limit, and reads only the first bytes of a file
    it cannot use anyway (to name a binary format in the reason)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            os.listdir(path)  # raises PermissionError when it cannot be listed
            raise IngestError(_directory_reason(path))
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(f"not a regular file ({_kind(info.st_mode)})")
        reader = formats()["extensions"].get(path.suffix.lower())
        if reader is None:
            with path.open("rb") as handle:
                raise IngestError(_unsupported_reason(path, handle.read(_SNIFF)))
        if info.st_size > max_bytes:
            size, limit = info.st_size / _MB, max_bytes / _MB
            raise IngestError(f"too large: {size:.1f} MB > {limit:g} MB limit")
        if info.st_size == 0:
            raise IngestError("empty file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(_os_reason(exc, path)) from exc
    if len(data) > max_bytes:  # grew since stat, or a file system that lies
        raise IngestError(f"too large: more than {max_bytes / _MB:g} MB")
    return data, reader


def _unsupported_reason(path: Path, head: bytes) -> str:
    kind = sniff_binary(head)
    if kind:
        return f"binary file ({kind})"
    suffix = path.suffix.lower()
    return f"unsupported format {suffix}" if suffix else "unsupported format (no file extension)"


def _drafts(text: str, reader: str) -> tuple[list[fmt.Draft], list[str]]:
    """Drafts of every article a decoded file holds, and per-record problems."""
    if reader in ("text", "markdown"):
        return [fmt.read_text(text, reader)], []
    if reader == "html":
        return [fmt.read_html(text)], []
    records, problems = (
        fmt.jsonl_records(text) if reader == "jsonl" else (fmt.json_records(text), [])
    )
    drafts: list[fmt.Draft] = []
    for label, record in records:
        try:
            drafts.append(fmt.record_draft(record, label))
        except IngestError as exc:
            problems.append(str(exc))
    return drafts, problems


def _record_id(stem: str, label: str) -> str:
    number = int(label.rsplit(" ", 1)[-1]) if label else 1
    return stem if number == 1 else f"{stem}-{number}"


def read_articles(path: Path, *, max_bytes: int = MAX_BYTES) -> tuple[list[Article], list[str]]:
    """All articles in one file, and one-line problems with single records.

    Raises IngestError when the file as a whole is unusable."""
    path = Path(path)
    data, reader = _read_bytes(path, max_bytes)
    text = decode_bytes(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError("empty file (white space only)")
    sha = hashlib.sha256(data).hexdigest()
    drafts, problems = _drafts(text, reader)
    multi = reader in ("json", "jsonl")
    articles: list[Article] = []
    for draft in drafts:
        article_id = _record_id(path.stem, draft.label) if multi else path.stem
        try:
            articles.append(fmt.finish(draft, article_id=article_id, path=str(path), sha256=sha))
        except IngestError as exc:
            problems.append(str(exc))
    if not articles:
        raise IngestError(
            problems[0]
            if len(problems) == 1
            else f"no usable records ({len(problems)} problems, first: {problems[0]})"
            if problems
            else "no records"
        )
    return articles, problems


def read_article(path: Path) -> Article:
    """The one article a file holds; raises IngestError with a one-line reason.

    A JSON file with several records raises too: use `read_articles`."""
    articles, _problems = read_articles(path)
    if len(articles) > 1:
        raise IngestError(f"holds {len(articles)} articles; read it with read_articles()")
    return articles[0]


# -- the whole input -------------------------------------------------------------------


def _unique_id(article_id: str, rel: str, path: Path, taken: set[str]) -> str:
    if article_id not in taken:
        return article_id
    for salt in (rel, str(path)):
        candidate = f"{article_id}-{hashlib.sha1(f'{salt}#{article_id}'.encode()).hexdigest()[:8]}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{article_id}-{number}" in taken:
        number += 1
    return f"{article_id}-{number}"


def ingest(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[Path], None] | None = None,
) -> tuple[list[Article], list[SkippedFile]]:
    """Read every input file: the articles, and a SkippedFile per unusable
    file or record (duplicates included). Never raises for a bad file;
    raises IngestError only for an input path that does not exist."""
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    taken: set[str] = set()
    by_text: dict[str, Article] = {}
    for path, rel in _discover(paths):
        if progress is not None:
            progress(path)
        printable = _printable_path(path)
        if printable is not None:
            skipped.append(SkippedFile(path=printable, reason="file name is not valid UTF-8"))
            continue
        try:
            found, problems = read_articles(path, max_bytes=max_bytes)
        except IngestError as exc:
            skipped.append(SkippedFile(path=str(path), reason=str(exc)))
            continue
        skipped.extend(SkippedFile(path=str(path), reason=problem) for problem in problems)
        for article in found:
            key = dedupe_key(article.text)
            if key in by_text:
                kept = by_text[key]
                where = kept.path if kept.id == Path(kept.path).stem else f"{kept.path} ({kept.id})"
                prefix = "" if len(found) == 1 else f"{article.id}: "
                skipped.append(SkippedFile(path=str(path), reason=f"{prefix}duplicate of {where}"))
                continue
            article_id = _unique_id(article.id, rel, path, taken)
            if article_id != article.id:
                article = _with_id(article, article_id)
            taken.add(article_id)
            by_text[key] = article
            articles.append(article)
    return articles, skipped


def _with_id(article: Article, article_id: str) -> Article:
    from dataclasses import replace

    return replace(article, id=article_id)
