"""Ingest: the five corpus files read cleanly, and a hostile corpus built in
tmp_path never crashes the stage: every file is either a good Article or a
SkippedFile carrying its path and a one-line reason."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import IngestError
from kg.ingest import MAX_BYTES, ingest, iter_input_files, read_article, read_articles
from kg.model import Article, SkippedFile

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def corpus_file(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    articles, skipped = ingest([CORPUS])
    assert skipped == []
    return {article.id[:3]: article for article in articles}


def assert_clean(article: Article) -> None:
    """What every article text must look like: no markup, no widgets, one
    paragraph per line with a blank line between paragraphs."""
    text = article.text
    assert article.title and article.title not in text.split("\n\n")[:1]
    assert "<" not in text and "&amp;" not in text and "[ad_" not in text
    assert "\n\n\n" not in text and not text.startswith("\n") and text == text.strip()
    assert all(para.strip() == para and "\n" not in para for para in text.split("\n\n"))
    assert article.word_count == len(text.split())
    assert len(article.sha256) == 64


# -- the five corpus files -------------------------------------------------------------


def test_corpus_files_are_found_sorted() -> None:
    files = list(iter_input_files([CORPUS]))
    assert [f.name[:3] for f in files] == ["000", "001", "002", "003", "004"]


def test_corpus_000_plain_text(corpus: dict[str, Article]) -> None:
    article = corpus["000"]
    assert article.id == corpus_file("000").stem
    assert article.title == "Syria peace talks in Astana flop after rebel no-show"
    assert article.text.split("\n\n")[1].startswith("ASTANA - Russian-led peace efforts")
    assert article.published is None and article.url is None
    assert_clean(article)


def test_corpus_001_weather_widget_and_repeated_captions_are_gone(
    corpus: dict[str, Article],
) -> None:
    article = corpus["001"]
    assert article.title == "Russia-backed Syria talks end without progress"
    assert "°C" not in article.text and "Dublin" not in article.text
    assert "Picture: AP" not in article.text
    assert "spoke with his Kazakh counterpart" not in article.text
    assert article.text.startswith("Russian president Vladimir Putin and his Kazakh counterpart")
    assert "Sunday Independent" not in article.text  # closing sign-off
    assert_clean(article)


def test_corpus_002_empty_date_labels_are_gone(corpus: dict[str, Article]) -> None:
    article = corpus["002"]
    assert article.title == "Syrian peace talks in Moscow end in disarray"
    assert "Published:" not in article.text and "Updated:" not in article.text
    assert "didn’t go into a fistfight" in article.text  # UTF-8 quotes intact
    assert article.published is None
    assert_clean(article)


def test_corpus_003_front_matter_and_embedded_html(corpus: dict[str, Article]) -> None:
    article = corpus["003"]
    assert article.title == "Scant hope of Syria peace breakthrough as Russia pounds rebels"
    assert article.published == "2016-02-10"
    assert article.url == (
        "https://www.whenitson.com/scant-hope-of-syria-peace-breakthrough-as-russia-pounds-rebels/"
    )
    assert article.source == "whenitson.com"
    text = article.text
    assert text.startswith("PARIS/UNITED NATIONS Major powers meeting in Germany")
    for junk in ("[ad_1]", "[ad_2]", "<span", "<p>", "post_title", "midArticle", "Editing by"):
        assert junk not in text
    assert "\nSource" not in text and "\u00a0" not in text
    assert "De Mistura set a target date of Feb. 25" in text
    assert_clean(article)


def test_corpus_004_bloomberg_furniture_is_gone(corpus: dict[str, Article]) -> None:
    article = corpus["004"]
    assert article.title == "Putin Stages Syria Peace Talks Boycotted by Assad Opponents"
    text = article.text
    for junk in ("Updated on", "Photographer:", "Getty Images", "Bloomberg Terminal", "•"):
        assert junk not in text
    assert "Syrian peace summit in Sochi, on Jan. 30." not in text  # the photo's caption
    assert text.startswith("Kremlin admits no breakthrough expected on political solution\n\n")
    assert text.endswith("“Its goal is to reinforce Assad’s position.”")
    assert_clean(article)


# -- a hostile corpus ------------------------------------------------------------------

GOOD_TEXT = (
    "Envoys meet in Geneva\n\nThe envoys met in Geneva on Monday. They agreed to meet again.\n"
)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    write(root / "empty.txt", b"")
    write(root / "blank.txt", "  \n\t\n   \n")
    write(root / "random.txt", random.Random(7).randbytes(4096))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(8).randbytes(200)
    write(root / "picture.png", png)
    write(root / "png-renamed.txt", png)
    truncated = "Talks resume in Genève\n\nDelegates arrived in Genève on Monday.".encode()[:-2]
    write(root / "truncated.txt", truncated[:-1] + "é".encode()[:1])
    write(root / "latin1.txt", "Réunion à Genève\n\nLe délégué était présent.".encode("latin-1"))
    write(
        root / "cp1252.txt",
        "The envoy’s plan\n\nThe envoy’s “road map” was rejected – again, said Hélène.".encode(
            "cp1252"
        ),
    )
    write(root / "nul.txt", b"Talks in Geneva\n\nThe envoy\x00 met the delegates.")
    write(root / "utf16.txt", GOOD_TEXT.replace("Geneva", "Vienna").encode("utf-16"))
    write(root / "bad-front.md", "---\ntitle: [unclosed\ndate: 2017-01-01\n---\nBody text here.\n")
    write(
        root / "scripts.html",
        "<html><head><script>var a = 1;</script><style>p {}</style></head>"
        "<body><script>document.write('x')</script><nav>Home | World</nav></body></html>",
    )
    write(root / "number.json", "42")
    write(
        root / "records.jsonl",
        json.dumps({"title": "First", "text": "The first record text.", "date": "2017-03-14"})
        + "\n{broken\n"
        + json.dumps({"title": "Third", "body": "<p>The third record.</p>"})
        + "\n",
    )
    write(root / "a-original.txt", GOOD_TEXT)
    write(root / "b-copy.txt", GOOD_TEXT.replace("\n\n", "\n\n\n"))
    write(root / "notes.xyz", "plain words")
    write(root / 'it\'s "quoted" café – talks.txt', GOOD_TEXT.replace("Geneva", "Doha"))
    write(root / ".hidden.txt", GOOD_TEXT.replace("Geneva", "Oslo"))
    write(root / "sub" / "inner.txt", GOOD_TEXT.replace("Geneva", "Astana"))
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    os.mkfifo(root / "pipe.txt")
    locked = write(root / "locked.txt", GOOD_TEXT.replace("Geneva", "Cairo"))
    locked.chmod(0)
    write(root / "utf16le.txt", "Talks in Rome\n\nThe envoys met in Rome.".encode("utf-16-le"))
    write(root / "folder.txt" / "inside.txt", GOOD_TEXT.replace("Geneva", "Amman"))
    (root / "selfloop.txt").symlink_to(root / "selfloop.txt")
    with (root / "movie.bin").open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    big = root / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 52.4 MB without writing it
    return root


Result = tuple[dict[str, Article], dict[str, list[str]]]


@pytest.fixture()
def result(hostile: Path) -> Result:
    """Articles by file name (records after the first as "name#id") and
    skip reasons by file name."""
    articles, skipped = ingest([hostile])
    by_name: dict[str, Article] = {}
    for article in articles:
        name = Path(article.path).name
        by_name[name if article.id == Path(article.path).stem else f"{name}#{article.id}"] = article
    reasons: dict[str, list[str]] = {}
    for skip in skipped:
        assert isinstance(skip, SkippedFile) and skip.reason and "\n" not in skip.reason
        reasons.setdefault(Path(skip.path).name, []).append(skip.reason)
    return by_name, reasons


def skip_reason(result: Result, name: str) -> str:
    """The one reason the file `name` was skipped for."""
    assert name not in result[0]
    (reason,) = result[1][name]
    return reason


def test_empty_and_blank_files_are_skipped(result: Result) -> None:
    assert skip_reason(result, "empty.txt") == "empty file"
    assert skip_reason(result, "blank.txt") == "empty file (white space only)"


def test_binary_files_are_skipped_with_their_kind(result: Result) -> None:
    assert skip_reason(result, "random.txt").startswith("binary file (")
    assert skip_reason(result, "picture.png") == "binary file (PNG image)"
    assert skip_reason(result, "png-renamed.txt") == "binary file (PNG image)"
    assert skip_reason(result, "nul.txt") == "binary file (contains NUL bytes)"


def test_unusual_encodings_load(result: Result) -> None:
    articles = result[0]
    assert articles["latin1.txt"].title == "Réunion à Genève"
    assert "délégué était présent" in articles["latin1.txt"].text
    assert articles["cp1252.txt"].title == "The envoy’s plan"
    assert "“road map” was rejected – again, said Hélène." in articles["cp1252.txt"].text
    truncated = articles["truncated.txt"]
    assert truncated.title == "Talks resume in Genève"
    assert truncated.text.startswith("Delegates arrived in Genève on")
    assert articles["utf16.txt"].title == "Envoys meet in Vienna"
    assert articles["utf16le.txt"].text == "The envoys met in Rome."


def test_too_large_file_is_skipped_without_reading_it(hostile: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(IngestError, match=r"^too large: 52\.4 MB > 20 MB limit$"):
        read_article(hostile / "big.txt")
    assert time.perf_counter() - started < 1.0
    assert MAX_BYTES == 20_000_000


def test_malformed_inputs_are_skipped_with_a_reason(result: Result) -> None:
    front = skip_reason(result, "bad-front.md")
    assert front.startswith("malformed YAML front matter: ") and "(line " in front
    assert skip_reason(result, "scripts.html") == "no article text found in HTML"
    assert skip_reason(result, "number.json") == (
        "JSON is not an object or a list of objects (found a number)"
    )
    assert skip_reason(result, "notes.xyz") == "unsupported format .xyz"
    assert skip_reason(result, "dangling.txt") == "broken symbolic link"
    assert skip_reason(result, "pipe.txt") == "not a regular file (FIFO)"
    assert skip_reason(result, "selfloop.txt") == "symbolic link loop"
    assert skip_reason(result, "movie.bin") == "unsupported format .bin"  # not "too large"


def test_json_lines_keep_good_lines_and_name_the_broken_one(result: Result) -> None:
    articles = result[0]
    first, third = articles["records.jsonl"], articles["records.jsonl#records-3"]
    assert (first.id, first.title, first.published) == ("records", "First", "2017-03-14")
    assert (third.title, third.text) == ("Third", "The third record.")
    (reason,) = result[1]["records.jsonl"]
    assert reason.startswith("line 2: invalid JSON (")


def test_same_article_twice_is_kept_once(result: Result) -> None:
    assert "a-original.txt" in result[0] and "b-copy.txt" not in result[0]
    reason = skip_reason(result, "b-copy.txt")
    assert reason.startswith("duplicate of ") and reason.endswith("a-original.txt")


def test_names_symlink_loops_and_hidden_files(result: Result, hostile: Path) -> None:
    articles = result[0]
    odd = articles['it\'s "quoted" café – talks.txt']
    assert odd.id == 'it\'s "quoted" café – talks' and odd.title == "Envoys meet in Doha"
    assert articles["inner.txt"].title == "Envoys meet in Astana"  # found once, not per loop
    assert articles["inside.txt"].title == "Envoys meet in Amman"  # under folder.txt/
    files = list(iter_input_files([hostile]))
    assert sum(1 for f in files if f.name == "inner.txt") == 1
    assert not any(f.name.startswith(".") for f in files)
    assert files == sorted(files, key=str)


def test_unreadable_file(result: Result, hostile: Path) -> None:
    if os.access(hostile / "locked.txt", os.R_OK):  # running as root: chmod cannot lock it
        assert result[0]["locked.txt"].title == "Envoys meet in Cairo"
    else:
        assert skip_reason(result, "locked.txt") == "permission denied"


def test_every_file_is_accounted_for(result: Result, hostile: Path) -> None:
    articles, skipped = result
    seen = {Path(a.path).name for a in articles.values()} | set(skipped)
    assert seen == {f.name for f in iter_input_files([hostile])}
    for article in articles.values():
        assert_clean(article)


# -- ids, formats and dates ------------------------------------------------------------


def test_colliding_ids_are_disambiguated_deterministically(tmp_path: Path) -> None:
    write(tmp_path / "a" / "report.txt", GOOD_TEXT)
    write(tmp_path / "b" / "report.txt", GOOD_TEXT.replace("Geneva", "Vienna"))
    first, _ = ingest([tmp_path])
    second, _ = ingest([str(tmp_path) + "/"])
    assert [a.id for a in first] == [a.id for a in second]
    assert first[0].id == "report" and first[1].id.startswith("report-") and len(first[1].id) == 15


def test_read_article_refuses_multi_record_files(tmp_path: Path) -> None:
    path = write(tmp_path / "two.json", json.dumps([{"text": "One."}, {"text": "Two."}]))
    articles, problems = read_articles(path)
    assert [a.id for a in articles] == ["two", "two-2"] and problems == []
    with pytest.raises(IngestError, match="holds 2 articles"):
        read_article(path)


def test_missing_input_path_raises(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file or directory"):
        ingest([tmp_path / "nope"])


def test_html_page_takes_the_article_and_its_metadata(tmp_path: Path) -> None:
    page = write(
        tmp_path / "page.html",
        """<!doctype html><html><head><title>Envoy opens talks | Example News</title>
        <meta property="og:site_name" content="Example News">
        <meta property="article:published_time" content="2019-05-02T10:00:00Z">
        <link rel="canonical" href="https://www.example.com/news/talks">
        <script>var x = "<p>not text</p>";</script></head>
        <body><nav><a href="/">Home</a></nav><div class="share-bar">Share on Facebook</div>
        <article><h1>Envoy opens talks</h1>
        <p>GENEVA - The envoy opened a new round of talks on Monday with both delegations.</p>
        <figure><img src="x.jpg"><figcaption>The envoy arrives. Photo: Reuters</figcaption></figure>
        <p>Officials said the talks would last &ldquo;several days&rdquo;.<br>A new paragraph.</p>
        <aside>Related stories</aside><p>Read more</p></article>
        <footer>Copyright 2019 Example</footer></body></html>""",
    )
    article = read_article(page)
    assert article.title == "Envoy opens talks"
    assert (article.published, article.source) == ("2019-05-02", "Example News")
    assert article.url == "https://www.example.com/news/talks"
    assert article.text == (
        "GENEVA - The envoy opened a new round of talks on Monday with both delegations."
        "\n\nOfficials said the talks would last “several days”.\n\nA new paragraph."
    )


def test_markdown_front_matter_lists_folded_scalars_and_syntax(tmp_path: Path) -> None:
    path = write(
        tmp_path / "post.md",
        "---\npost_title: >\n  Talks resume\n  in Vienna\npublished: true\n"
        "post_date: 2018-01-30 08:00:00\ncanonical_url:\n  - https://news.example.org/a\n"
        "author: Desk\n---\n# Talks resume in Vienna\n\nSome **bold** words and a "
        "[link](http://x.example) here.\n\n![photo](a.png)\n\n- first item\n- second item\n",
    )
    article = read_article(path)
    assert article.title == "Talks resume in Vienna"
    assert (article.published, article.url) == ("2018-01-30", "https://news.example.org/a")
    assert article.source == "news.example.org"
    assert article.text == "Some bold words and a link here.\n\nfirst item\n\nsecond item"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Posted 13 Mar 2017", "2017-03-13"),
        ("Published: March 14, 2017 | Updated: March 15, 2017", "2017-03-14"),
        ("Updated on 2018-01-30", "2018-01-30"),
        ("By A. Writer, Reuters", None),
    ],
)
def test_publication_date_from_a_dateline(tmp_path: Path, line: str, iso: str | None) -> None:
    path = write(tmp_path / "dated.txt", f"Talks end\n\n{line}\n\nThe talks ended on Monday.\n")
    article = read_article(path)
    assert article.published == iso
    if iso:
        assert article.text == "The talks ended on Monday."


def test_dates_inside_sentences_are_not_publication_dates(tmp_path: Path) -> None:
    path = write(tmp_path / "t.txt", "Talks\n\nThe truce of March 3, 2016 held for a week.\n")
    assert read_article(path).published is None


def test_hard_wrapped_paragraphs_are_joined(tmp_path: Path) -> None:
    body = (
        "The delegations met in the capital on Monday and said that the\n"
        "talks would continue for a second day, officials told reporters\n"
        "outside the venue late in the evening.\n"
    )
    article = read_article(write(tmp_path / "wrapped.txt", f"Talks go on\n\n{body}"))
    assert article.text == body.replace("\n", " ").strip()


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=400),
    suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]),
)
def test_any_bytes_give_an_article_or_an_ingest_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(data)
    try:
        articles, problems = read_articles(path)
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert articles and all(a.text.strip() for a in articles)
        assert all("\n" not in p for p in problems)


def test_deeply_nested_json_is_skipped_not_a_crash(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    write(tmp_path / "deep.json", deep)
    write(tmp_path / "deep.jsonl", json.dumps({"text": "A good line."}) + "\n" + deep + "\n")
    articles, skipped = ingest([tmp_path])
    assert [a.text for a in articles] == ["A good line."]
    assert sorted((Path(s.path).name, s.reason) for s in skipped) == [
        ("deep.json", "invalid JSON: nested too deeply"),
        ("deep.jsonl", "line 2: invalid JSON (nested too deeply)"),
    ]


def test_json_collection_object_and_crlf_markdown(tmp_path: Path) -> None:
    feed = {
        "articles": [{"headline": "One", "body": "First."}, {"title": "Two", "text": "Second."}]
    }
    articles, problems = read_articles(write(tmp_path / "feed.json", json.dumps(feed)))
    assert [(a.id, a.title, a.text) for a in articles] == [
        ("feed", "One", "First."),
        ("feed-2", "Two", "Second."),
    ]
    assert problems == []
    crlf = b"---\r\ntitle: Windows\r\ndate: 2019-01-02\r\n---\r\nLine one.\r\n\r\nLine two.\r\n"
    article = read_article(write(tmp_path / "crlf.md", crlf))
    assert (article.title, article.published, article.text) == (
        "Windows",
        "2019-01-02",
        "Line one.\n\nLine two.",
    )


def test_inline_html_in_text_keeps_the_line_structure(tmp_path: Path) -> None:
    body = (
        'The delegations met in <a href="https://x.example">the capital</a> and said that\n'
        "the talks would continue for a second day, officials told the reporters\n"
        "who waited outside the venue late in the evening &amp; at night.\n"
    )
    article = read_article(write(tmp_path / "inline.txt", f"Talks go on\n\n{body}"))
    assert article.text == (
        "The delegations met in the capital and said that the talks would continue for a "
        "second day, officials told the reporters who waited outside the venue late in the "
        "evening & at night."
    )


def test_html_title_without_metadata_drops_the_site_suffix(tmp_path: Path) -> None:
    words = " ".join(["The envoys met again and talked for a long time."] * 4)
    page = f"<html><head><title>Envoys meet | Daily Example</title></head><body><p>{words}</p>"
    article = read_article(write(tmp_path / "plain.htm", page))
    assert (article.title, article.source, article.url) == ("Envoys meet", None, None)
    assert article.text == words


def test_json_record_without_title_keeps_its_whole_text(tmp_path: Path) -> None:
    record = {
        "text": "Envoys met in Oslo on Monday.\nThey will meet again.",
        "url": "http://a.example/x",
    }
    article = read_article(write(tmp_path / "untitled.json", json.dumps(record)))
    assert article.title == "Envoys met in Oslo on Monday."
    assert article.text == "Envoys met in Oslo on Monday.\n\nThey will meet again."
    assert article.source == "a.example"


def test_html_story_in_a_container_with_a_furniture_class_still_loads(tmp_path: Path) -> None:
    words = " ".join(["The envoys met again and talked for a long time."] * 4)
    page = f'<html><body><div class="layout has-sidebar"><p>{words}</p></div></body></html>'
    assert read_article(write(tmp_path / "classy.html", page)).text == words
