"""Injection and secrets, end to end on both stores.

- Text holding quotes, backticks, braces, `$`, `//`, newlines and Cypher
  keywords goes through `kg build` (from an article file), or through the
  store API (a hand-built graph, for names extraction would never keep), and
  comes back unchanged from `kg export` and `kg ask`, on the embedded store and
  on Neo4j alike. A question parameter that tries to break out of its string
  finds nothing and changes nothing.
- Labels and relationship types outside the contract never reach Cypher.
- No password is written in the code, the compose file or the README, and no
  command prints NEO4J_PASSWORD, not even `kg --debug` with a traceback.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.model import Graph, Node, Relationship
from kg.store.ladybug import LadybugStore
from kg.store.neo4j import Neo4jStore

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

TITLE = 'Talks "resume" in `Lakeside` {round: 2} $100 // MATCH (n) DETACH DELETE n'
FILE_NAME = 'talks "resume" `now` {x} $y; DROP.txt'
SENTENCES = [
    "U.N. envoy Lena O'Brien mediated the talks in Geneva on Monday, saying \"MATCH (n) "
    'DETACH DELETE n" was not on the agenda // RETURN 1.',
    "Russia brokered a ceasefire between the government and the rebels on Sunday, "
    'according to a statement signed "${NEO4J_PASSWORD}" and {braces}.',
    "The rebels' chief negotiator Omar `Backtick` Haddad attended the talks in Geneva.",
]
#: each must survive in some evidence sentence exactly as written
FRAGMENTS = ['"MATCH (n) DETACH DELETE n"', "// RETURN 1", '"${NEO4J_PASSWORD}"', "{braces}"]
#: question parameters that try to leave their string
BREAKOUTS = [
    "') MATCH (n) DETACH DELETE n //",
    '" OR 1=1 RETURN n //',
    "`}) CALL db.labels() //",
    "$actor",
]

HOSTILE_NAMES = [
    'The "Free" `Hill` $Men\'s\nBrigade',
    "O'Brien's {faction} /* not a comment */ // nor this",
    "MATCH (n) DETACH DELETE n; RETURN 1",
    "Line one\r\nline two\ttabbed \\ backslash",
    "[/bold] rich [red]markup[/red] :smile: ${HOME}",
    "Ünïcödé – 叙利亚 – سوريا",
]


# -- helpers ------------------------------------------------------------------------------


def run(args: list[str], env: dict[str, str], ok: bool = True):
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def exported(db: str, env: dict[str, str]) -> list[dict]:
    return [json.loads(line) for line in run(["export", "--db", db], env).stdout.splitlines()]


def ask(question: str, db: str, env: dict[str, str], **params: str) -> list[dict]:
    args = ["ask", question, "--db", db, "--json"]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    return json.loads(run(args, env).stdout)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> dict[str, str]:
    return {"KG_HOME": str(tmp_path_factory.mktemp("kg-home")), "NEO4J_URI": ""}


@pytest.fixture(scope="module")
def stores(tmp_path_factory, neo4j_server, home) -> dict[str, tuple[str, dict[str, str]]]:
    """name -> (--db target, environment) for the embedded store and Neo4j."""
    folder = tmp_path_factory.mktemp("stores")
    bolt_env = dict(home, NEO4J_USERNAME=neo4j_server.user or "neo4j")
    bolt_env["NEO4J_PASSWORD"] = neo4j_server.password or ""
    return {
        "ladybug": (str(folder / "graph.lbdb"), dict(home)),
        "neo4j": (neo4j_server.uri, bolt_env),
    }


@pytest.fixture(scope="module")
def hostile_article(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-article") / "corpus"
    folder.mkdir()
    (folder / FILE_NAME).write_text(TITLE + "\n\n" + "\n".join(SENTENCES) + "\n", encoding="utf-8")
    return folder


# -- through kg build, from an article file ------------------------------------------------


@pytest.fixture(scope="module")
def built(stores, hostile_article) -> dict[str, list[dict]]:
    """The hostile article built into both stores; their exports."""
    exports = {}
    for name, (db, env) in stores.items():
        run(["build", str(hostile_article), "--db", db, "--rebuild"], env)
        exports[name] = exported(db, env)
    return exports


def test_article_title_id_and_path_round_trip_unchanged(built, hostile_article):
    for lines in built.values():
        (article,) = [line for line in lines if line.get("labels") == ["Article"]]
        props = article["properties"]
        assert props["name"] == TITLE
        assert props["id"] == Path(FILE_NAME).stem
        assert props["path"] == str(hostile_article / FILE_NAME)


def test_evidence_sentences_round_trip_unchanged(built):
    for lines in built.values():
        evidence = [
            sentence
            for line in lines
            if line["type"] == "relationship"
            for sentence in line["properties"].get("evidence", [])
        ]
        assert evidence
        text = "\n".join(SENTENCES)
        assert all(sentence in text for sentence in evidence), evidence
        for fragment in FRAGMENTS:
            assert any(fragment in sentence for sentence in evidence), fragment


def test_both_stores_export_the_same_hostile_graph(built):
    assert built["ladybug"] == built["neo4j"]


def test_ask_returns_hostile_text_unchanged_on_both_stores(built, stores):
    for db, env in stores.values():
        rows = ask("actor-aliases", db, env, actor="O'Brien")
        assert [row["actor"] for row in rows] == ["Lena O'Brien"]
        rows = ask("evidence", db, env, **{"from": "O'Brien", "type": "MEDIATED"})
        assert rows and rows[0]["evidence"] == [SENTENCES[0]]
        assert rows[0]["sources"] == [Path(FILE_NAME).stem]


@pytest.mark.parametrize("breakout", BREAKOUTS)
def test_a_parameter_cannot_leave_its_string(built, stores, breakout):
    for db, env in stores.values():
        before = exported(db, env)
        assert ask("actor-aliases", db, env, actor=breakout) == []
        assert ask("evidence", db, env, **{"from": breakout, "to": breakout}) == []
        assert exported(db, env) == before, "a question changed the graph"


# -- through the store API, names extraction would never keep ------------------------------


def hostile_graph() -> Graph:
    graph = Graph()
    article = "a`rt {1} $x"
    graph.nodes.append(
        Node(
            "Article",
            article,
            {"id": article, "name": HOSTILE_NAMES[2], "path": "x/'a'.txt", "sha256": "0" * 64},
        )
    )
    for i, name in enumerate(HOSTILE_NAMES):
        node_id = f"actor-{i}-{name[:6]}"
        aliases = [name, f"{name} (alias)"]
        graph.nodes.append(
            Node(
                "Actor", node_id, {"id": node_id, "name": name, "kind": "group", "aliases": aliases}
            )
        )
        graph.relationships.append(
            Relationship("MENTIONED_IN", f"actor:{node_id}", f"article:{article}", {"count": i + 1})
        )
    actors = [n for n in graph.nodes if n.label == "Actor"]
    for left, right, name in zip(actors, actors[1:], HOSTILE_NAMES, strict=False):
        graph.relationships.append(
            Relationship(
                "SUPPORTS",
                left.key,
                right.key,
                {"sources": [article], "evidence": [name, "plain sentence"]},
            )
        )
    return graph


def open_store(name: str, db: str, env: dict[str, str]):
    if name == "ladybug":
        return LadybugStore.open(db)
    return Neo4jStore.connect(db, env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"])


@pytest.fixture(scope="module")
def loaded_by_api(stores, built) -> dict[str, list[dict]]:
    """The hand-built hostile graph in both stores (after the `built` tests)."""
    exports = {}
    for name, (db, env) in stores.items():
        with open_store(name, db, env) as store:
            store.replace_graph(hostile_graph())
        exports[name] = exported(db, env)
    return exports


def test_hand_built_hostile_names_round_trip_through_export(loaded_by_api):
    for lines in loaded_by_api.values():
        names = sorted(
            line["properties"]["name"] for line in lines if line.get("labels") == ["Actor"]
        )
        assert names == sorted(HOSTILE_NAMES)
        evidence = sorted(
            line["properties"]["evidence"][0] for line in lines if line.get("label") == "SUPPORTS"
        )
        assert evidence == sorted(HOSTILE_NAMES[:-1])
    assert loaded_by_api["ladybug"] == loaded_by_api["neo4j"]


@pytest.mark.parametrize("index", range(len(HOSTILE_NAMES)))
def test_hand_built_hostile_names_round_trip_through_ask(loaded_by_api, stores, index):
    name = HOSTILE_NAMES[index]
    for db, env in stores.values():
        rows = ask("actor-aliases", db, env, actor=name)
        assert [row["actor"] for row in rows] == [name]
        assert rows[0]["aliases"] == [name, f"{name} (alias)"]


def test_ask_tables_print_hostile_names_literally(loaded_by_api, stores):
    """Not as rich markup or emoji codes (and "[/bold]" must not crash)."""
    name = HOSTILE_NAMES[4]
    for db, env in stores.values():
        result = run(
            ["ask", "actor-aliases", "--db", db, "-p", "actor=rich"], dict(env, COLUMNS="400")
        )
        assert name in result.stdout


@pytest.mark.parametrize("store_name", ["ladybug", "neo4j"])
def test_labels_and_types_outside_the_contract_never_reach_cypher(stores, store_name, built):
    db, env = stores[store_name]
    before = exported(db, env)
    for bad in (
        Graph(nodes=[Node("Actor`) MATCH (m) DETACH DELETE m //", "x", {"name": "x"})]),
        Graph(
            nodes=[
                Node("Actor", "a", {"name": "a", "kind": "group", "aliases": ["a"]}),
                Node("Actor", "b", {"name": "b", "kind": "group", "aliases": ["b"]}),
            ],
            relationships=[Relationship("SUPPORTS]->() DETACH DELETE b //", "actor:a", "actor:b")],
        ),
    ):
        with open_store(store_name, db, env) as store, pytest.raises(StoreError, match="unknown"):
            store.replace_graph(bad)
    assert exported(db, env) == before


# -- secrets -------------------------------------------------------------------------------

#: NEO4J_PASSWORD=value, NEO4J_AUTH: value (shell, YAML, .env, Python keywords)
NEO4J_SETTING = re.compile(
    r"""NEO4J_(?:PASSWORD|AUTH)["']?\s*[=:]\s*(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s,)]+)"""
)
#: password = "literal" / "password": "literal" (a quoted value only: not `password: str`)
PASSWORD_LITERAL = re.compile(
    r"""password\w*["']?\s*[=:]\s*(?P<value>"[^"\n]*"|'[^'\n]*')""", re.IGNORECASE
)
AUTH_TUPLE = re.compile(r"""auth\s*=\s*\(\s*["'][^"']*["']\s*,\s*(?P<value>["'][^"']*["'])""")
URI_CREDENTIALS = re.compile(r"(?:bolt|neo4j)(?:\+s|\+ssc)?://[^/\s:@]+:(?P<value>[^@\s/]+)@")
#: what may stand where a password would: nothing, an ellipsis, a variable or
#: a call that reads one, a <placeholder>, or "neo4j/" followed by one of those
PLACEHOLDER = re.compile(
    r"""^["']?(?:neo4j/)?(?:|\.\.\.|\$\{?\w+.*|<[^>]*>|none|os\.environ.*)["']?$"""
)


def secret_files() -> list[Path]:
    files = sorted((REPO / "kg").rglob("*.py"))
    files += sorted((REPO / "kg").rglob("*.y*ml"))
    files += [p for p in REPO.glob("*.md")]
    files += [p for p in REPO.rglob("*compose*.y*ml") if ".git" not in p.parts]
    files += sorted((REPO / "cypher").rglob("*"))
    return [p for p in files if p.is_file()]


def password_literals(text: str) -> list[str]:
    found = []
    for pattern in (NEO4J_SETTING, PASSWORD_LITERAL, AUTH_TUPLE, URI_CREDENTIALS):
        for match in pattern.finditer(text):
            value = match.group("value").strip()
            if not PLACEHOLDER.match(value) and match.group(0) not in found:
                found.append(match.group(0))
    return found


def test_the_scan_recognises_passwords_and_placeholders():
    assert password_literals("export NEO4J_PASSWORD=hunter2")
    assert password_literals("NEO4J_AUTH: neo4j/letmein")
    assert password_literals('GraphDatabase.driver(uri, auth=("neo4j", "s3cret"))')
    assert password_literals("kg build --db bolt://neo4j:s3cret@localhost:7687")
    assert password_literals("export NEO4J_PASSWORD='choose-one'")
    assert not password_literals("export NEO4J_PASSWORD=...")
    assert not password_literals("NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}")
    assert password_literals('store = connect(uri, password="s3cret")')
    assert not password_literals('password=os.environ.get("NEO4J_PASSWORD")')
    assert not password_literals("def connect(password: str | None = None) -> None:")


def test_no_password_in_the_code_the_compose_file_or_the_readme():
    files = secret_files()
    assert REPO / "README.md" in files and REPO / "kg" / "store" / "neo4j.py" in files
    offences = {
        str(path.relative_to(REPO)): found
        for path in files
        if (found := password_literals(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert offences == {}


def kg_process(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        cwd=REPO,
        env={**os.environ, **env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"


def test_debug_never_prints_a_wrong_password(neo4j_server, home, tmp_path):
    secret = "Wr0ng$" + secrets.token_hex(8)
    env = dict(home, NEO4J_USERNAME="neo4j", NEO4J_PASSWORD=secret)
    for args in (
        ["--debug", "build", str(CORPUS), "--db", neo4j_server.uri],
        ["--debug", "stats", "--db", neo4j_server.uri],
        ["--debug", "ask", "attendance", "--db", neo4j_server.uri],
        ["--debug", "export", "--db", neo4j_server.uri],
    ):
        output = kg_process(args, env)
        assert output.startswith("exit 7\n") and "Traceback" in output, output
        assert "authentication failed" in output
        assert secret not in output, args


def test_no_command_prints_the_real_password(neo4j_server, stores, built, tmp_path):
    db, env = stores["neo4j"]
    env = dict(env, KG_HOME=str(tmp_path / "kg-home"))
    secret = env["NEO4J_PASSWORD"]
    outputs = [
        kg_process(args, env)
        for args in (
            ["--debug", "build", str(CORPUS), "--db", db, "--json"],
            ["--debug", "stats", "--db", db],
            ["--debug", "ask", "attendance", "--db", db],
            ["--debug", "ask", "no-such-question", "--db", db],
            ["--debug", "export", "--db", db],
        )
    ]
    assert outputs[0].startswith("exit 0"), outputs[0][-3000:]
    assert outputs[3].startswith("exit 8") and "Traceback" in outputs[3], outputs[3][-3000:]
    for output in outputs:
        assert secret not in output
    for path in Path(env["KG_HOME"]).rglob("*"):  # nor does kg write it down
        assert not path.is_file() or secret.encode() not in path.read_bytes(), path
