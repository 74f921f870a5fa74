"""Hostile input through the real `kg build` command.

The tests build their own corpus of bad files next to a few good articles
(copied from the bundled corpus) and run `kg build` in a separate process,
as a user would: the process must never crash, every bad file gets exactly
one line naming it and the reason, the good files load, the summary counts
what was skipped, the exit status is 0 unless `--strict` is given (then 10,
after everything was loaded), and an article present twice loads once.

The unreadable file needs care: the tests may run as root, whom `chmod 000`
does not stop. The build process then drops CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from its capability bounding set before it starts, which
makes root obey file modes like any user.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import export_lines
from kg.store.ladybug import LadybugStore

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
STRICT_EXIT = 10

BODY = (
    "Envoy Mar\u00eda Jos\u00e9 L\u00f3pez met the delegation of the Northern Alliance "
    "in Gen\u00e8ve on {day} for talks on a ceasefire."
)
ODD_NAME = 'it\'s a "quoted" `name` $x {y} \u2014 Gen\u00e8ve report.txt'
NON_UTF8_NAME = b"caf\xe9 latin-1 name.txt"

#: file name -> the reason `kg build` must give (a fragment of it)
BAD_FILES = {
    "empty.txt": "empty file",
    "blank.txt": "empty file (white space only)",
    "noise.txt": "binary file",
    "picture.png": "binary file (PNG image)",
    "picture-named-as-text.txt": "binary file (PNG image)",
    "huge.txt": "too large: 50.0 MB > 20 MB limit",
    "nul-inside.txt": "binary file (contains NUL bytes)",
    "bad-front-matter.md": "malformed YAML front matter",
    "scripts-only.html": "no article text found in HTML",
    "list-of-numbers.json": "not a JSON object",
    "string.json": "JSON is not an object or a list of objects",
    "lines.jsonl": "line 2: invalid JSON",
    "zz-same-article-again.txt": "duplicate of",
    "loop": "symbolic link loop",
    "link-a": "symbolic link loop",
    "link-b": "symbolic link loop",
    "locked.txt": "permission denied",
    'bad "q" \' \u00fcml\u00e4ut.png': "binary file (PNG image)",
    "caf\\xe9 latin-1 name.txt": "file name is not valid UTF-8",
}
GOOD_IDS = {
    "good-one",
    "good-two",
    "truncated-utf8",
    "latin-1",
    "cp1252",
    "lines",
    "lines-3",
    Path(ODD_NAME).stem,
}


def make_hostile_corpus(root: Path) -> Path:
    """Every kind of bad file the issue lists, plus good articles."""
    root.mkdir(parents=True)
    originals = sorted(CORPUS.glob("*.txt"))
    (root / "good-one.txt").write_bytes(originals[0].read_bytes())
    (root / "good-two.txt").write_bytes(originals[1].read_bytes())
    (root / "zz-same-article-again.txt").write_bytes(originals[0].read_bytes())
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\t\n   \r\n")
    (root / "noise.txt").write_bytes(random.Random(1).randbytes(4096))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(2).randbytes(256)
    (root / "picture.png").write_bytes(png)
    (root / "picture-named-as-text.txt").write_bytes(png)
    (root / 'bad "q" \' \u00fcml\u00e4ut.png').write_bytes(png)
    truncated = ("Truncated report\n\n" + BODY.format(day="Monday") + " Caf\u00e9").encode()
    (root / "truncated-utf8.txt").write_bytes(truncated[:-1])  # cuts the é in half
    (root / "latin-1.txt").write_bytes(
        ("Latin-1 report\n\n" + BODY.format(day="Tuesday")).encode("latin-1")
    )
    (root / "cp1252.txt").write_bytes(
        ("Windows report\n\n\u201cTalks\u201d \u2013 " + BODY.format(day="Wednesday")).encode(
            "cp1252"
        )
    )
    sentence = "The envoys met again in the capital and the talks went on. "
    with open(root / "huge.txt", "w", encoding="utf-8") as handle:
        handle.write("A huge report\n\n")
        block = sentence * 1000 + "\n"
        while handle.tell() < 50_000_000:
            handle.write(block)
        handle.truncate(50_000_000)
    nul = ("NUL report\n\n" + BODY.format(day="Thursday")).encode()
    (root / "nul-inside.txt").write_bytes(nul[:30] + b"\x00" + nul[30:])
    (root / "bad-front-matter.md").write_text(
        "---\ntitle: [unclosed\ndate: : :\n---\n\n" + BODY.format(day="Friday") + "\n"
    )
    (root / "scripts-only.html").write_text(
        "<html><head><title>Only scripts</title><script>alert('x')</script></head>"
        "<body><script>var a = 1;</script><nav>Home | About</nav></body></html>"
    )
    (root / "list-of-numbers.json").write_text("[1, 2, 3]")
    (root / "string.json").write_text('"just a string"')
    records = [
        {"title": "JSON Lines one", "text": BODY.format(day="Saturday")},
        {
            "title": "JSON Lines three",
            "text": BODY.format(day="Sunday") + " The rebels stayed away.",
        },
    ]
    (root / "lines.jsonl").write_text(
        json.dumps(records[0]) + "\n{broken\n" + json.dumps(records[1]) + "\n"
    )
    (root / "loop").symlink_to(".", target_is_directory=True)
    (root / "link-a").symlink_to("link-b")
    (root / "link-b").symlink_to("link-a")
    locked = root / "locked.txt"
    locked.write_text("Locked report\n\n" + BODY.format(day="the first day"))
    locked.chmod(0)
    (root / ODD_NAME).write_text("Odd name report\n\n" + BODY.format(day="the last day"))
    with open(os.fsencode(root) + b"/" + NON_UTF8_NAME, "wb") as handle:
        handle.write(b"Latin name report\n\n" + BODY.format(day="noon").encode())
    return root


def _obey_file_modes() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def kg(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """The real `kg` in its own process; bytes out, so any output is checkable."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
        preexec_fn=_obey_file_modes if os.geteuid() == 0 else None,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """The hostile corpus built once, and one `kg build` of it (text output)."""
    work = tmp_path_factory.mktemp("hostile")
    corpus = make_hostile_corpus(work / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(KG_HOME=str(work / "kg-home"), PYTHONPATH=str(REPO))
    db = work / "graph.lbdb"
    done = kg(["build", str(corpus), "--db", str(db)], env, work)
    return {"work": work, "corpus": corpus, "env": env, "db": db, "done": done}


def skipped_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8").splitlines() if line.startswith("skipped ")]


def stored_graph(db: Path):
    with LadybugStore.open(db, read_only=True) as store:
        return store.read_graph()


def test_the_locked_file_really_is_unreadable_to_the_build(hostile):
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(hostile['corpus'] / 'locked.txt')!r}).read()"],
        capture_output=True,
        preexec_fn=_obey_file_modes if os.geteuid() == 0 else None,
        check=False,
    )
    assert probe.returncode != 0 and b"PermissionError" in probe.stderr


def test_build_survives_every_hostile_file_and_exits_0(hostile):
    done = hostile["done"]
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr + done.stdout


def test_each_bad_file_gets_one_line_naming_it_and_the_reason(hostile):
    lines = skipped_lines(hostile["done"].stderr)
    corpus = hostile["corpus"]
    for name, reason in BAD_FILES.items():
        mine = [line for line in lines if line.startswith(f"skipped {corpus / name}: ")]
        assert len(mine) == 1, f"{name}: {mine or lines}"
        assert reason in mine[0], mine[0]
    assert len(lines) == len(BAD_FILES), "\n".join(lines)
    other = [
        line
        for line in hostile["done"].stderr.decode().splitlines()
        if not line.startswith("skipped ")
    ]
    assert other == [], other  # nothing else on stderr: no wrapped halves, no progress residue


def test_the_duplicate_names_the_article_it_repeats(hostile):
    corpus = hostile["corpus"]
    line = next(
        line for line in skipped_lines(hostile["done"].stderr) if "zz-same-article-again" in line
    )
    assert line.endswith(f"duplicate of {corpus / 'good-one.txt'}")


def test_the_summary_counts_loaded_articles_and_skipped_files(hostile):
    summary = hostile["done"].stdout.decode().splitlines()[0]
    assert summary.startswith(f"Built {hostile['db']}: {len(GOOD_IDS)} articles")
    assert f"{len(BAD_FILES)} files skipped" in summary


def test_the_good_files_load_and_the_duplicate_loads_once(hostile):
    graph = stored_graph(hostile["db"])
    articles = {n.id: n for n in graph.nodes if n.label == "Article"}
    assert set(articles) == GOOD_IDS
    for article in GOOD_IDS:  # every good article was read, not just listed
        assert any(r.end == f"article:{article}" for r in graph.relationships), article
    names = [n.name for n in graph.nodes]
    assert names.count(articles["good-one"].name) == 1


def test_odd_encodings_decode_to_the_right_letters(hostile):
    graph = stored_graph(hostile["db"])
    actor = next(n for n in graph.nodes if n.label == "Actor" and "L\u00f3pez" in n.name)
    assert "Mar\u00eda Jos\u00e9 L\u00f3pez" in actor.properties["aliases"]
    mentioned_in = {r.end for r in graph.relationships if r.start == actor.key}
    for article in ("truncated-utf8", "latin-1", "cp1252"):
        assert f"article:{article}" in mentioned_in, article
    text = "\n".join(export_lines(graph))
    assert "\ufffd" not in text and "\u00c3" not in text  # no replacement chars, no mojibake


def test_odd_file_name_keeps_its_name_as_the_article_id(hostile):
    graph = stored_graph(hostile["db"])
    odd = next(n for n in graph.nodes if n.label == "Article" and n.id == Path(ODD_NAME).stem)
    assert odd.properties["path"] == str(hostile["corpus"] / ODD_NAME)


def test_strict_exits_10_after_loading_everything_and_reports_json(hostile, tmp_path):
    db = tmp_path / "strict.lbdb"
    args = ["build", str(hostile["corpus"]), "--db", str(db), "--strict", "--json"]
    done = kg(args, hostile["env"], tmp_path)
    assert done.returncode == STRICT_EXIT, done.stderr.decode(errors="replace")
    assert done.stderr.decode().splitlines() == [
        f"kg: error: {len(BAD_FILES)} input file(s) skipped (--strict)"
    ]
    report = json.loads(done.stdout)  # the report still comes out, whole
    assert report["articles"] == len(GOOD_IDS)
    assert sorted(Path(s["path"]).name for s in report["skipped"]) == sorted(BAD_FILES)
    loaded = list(export_lines(stored_graph(db)))  # everything was loaded before the exit
    assert loaded == list(export_lines(stored_graph(hostile["db"])))


def test_a_clean_corpus_with_strict_exits_0(hostile, tmp_path):
    done = kg(
        ["build", str(CORPUS), "--db", str(tmp_path / "ok.lbdb"), "--strict"],
        hostile["env"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert skipped_lines(done.stderr) == []
