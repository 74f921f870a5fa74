"""Every prepared question, on the fixture graph, on LadybugDB and on Neo4j.

Each question must give the rows the fixture supports (read them off
tests/graph_fixture.py) and exactly the same rows, in the same order, on the
two stores; plus the ask library's own contract (headers, parameters, errors).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_fixture import A1, A2, HOSTILE_NAME, fixture_graph

from kg.ask import list_questions, load_question, parse_params, run_question
from kg.errors import QueryError
from kg.store.ladybug import LadybugStore

H = HOSTILE_NAME
M1, M2, M3 = "Lakeside talks, first round", "Lakeside talks, second round", "Port Arden summit"
CF = "February 2019 nationwide ceasefire"
VAL, NF, UN = "Government of Valdoria", "Northern Front", "United Nations"
LM, IS, OS = "Lena Moreau", "Ivan Sorel", "Ostrava"


def rows(columns: str, *values: tuple) -> list[dict]:
    """Expected rows written compactly: column names once, then tuples."""
    names = columns.split()
    return [dict(zip(names, v, strict=True)) for v in values]


def pick(columns: str, got: list[dict]) -> list[tuple]:
    return [tuple(row[c] for c in columns.split()) for row in got]


# (question, params) -> expected rows; the first case of each question uses its defaults
CASES: list[tuple[str, dict, list[dict] | tuple[str, list[tuple]]]] = [
    ("meetings-by-venue", {}, rows(
        "venue meeting start_date end_date status series round",
        ("Lakeside", M1, "2019-03-04", "2019-03-05", "held", "Lakeside talks", 1),
        ("Lakeside", M2, "2019-04-10", "2019-04-11", "held", "Lakeside talks", 2),
        ("Port Arden", M3, "2019-05-20", None, "planned", None, None),
    )),
    ("meetings-by-venue", {"venue": "LAKE TOWN"}, ("meeting", [(M1,), (M2,)])),
    ("attendance", {}, rows(
        "meeting start_date actor part sources",
        (M1, "2019-03-04", VAL, "attended", [A1]),
        (M1, "2019-03-04", IS, "attended", [A1]),
        (M1, "2019-03-04", LM, "attended", [A1]),
        (M1, "2019-03-04", NF, "boycotted", [A1, A2]),
        (M2, "2019-04-10", VAL, "attended", [A1, A2]),
        (M2, "2019-04-10", LM, "attended", [A2]),
        (M2, "2019-04-10", NF, "attended", [A2]),
    )),
    ("attendance", {"meeting": "FIRST"}, ("actor part", [
        (VAL, "attended"), (IS, "attended"), (LM, "attended"), (NF, "boycotted"),
    ])),
    ("ceasefires", {}, rows(
        "ceasefire date status actor brokered violated",
        (CF, "2019-02-27", "in_force", OS, True, None),
        (CF, "2019-02-27", "in_force", UN, True, None),
        (CF, "2019-02-27", "in_force", VAL, False, "accused"),
        (CF, "2019-02-27", "in_force", NF, False, "violated"),
    )),
    ("ceasefires", {"ceasefire": "no such truce"}, []),
    ("actor-aliases", {}, ("actor forms", [
        (VAL, 3), (IS, 2), (LM, 2), (NF, 2), (OS, 1), (H, 3), (UN, 3),
    ])),
    ("actor-aliases", {"actor": "the REBELS"}, rows(
        "actor kind forms aliases roles id",
        (NF, "group", 2, [NF, "the rebels"], None, "northern-front"),
    )),
    ("actor-aliases", {"actor": "$crew"}, rows(
        "actor kind forms aliases roles id",
        (H, "group", 3, [H, "Hill Men", "O'Hill $crew"], None, "free-hill-brigade"),
    )),
    ("evidence", {}, ("from_name type to_name", [
        (VAL, "ATTENDED", M1), (VAL, "ATTENDED", M2), (IS, "ATTENDED", M1),
        (LM, "ATTENDED", M1), (LM, "ATTENDED", M2), (NF, "ATTENDED", M2),
        (NF, "BOYCOTTED", M1),
        (OS, "BROKERED", CF), (UN, "BROKERED", CF),
        (CF, "DISCUSSED_AT", M2),
        (M1, "HELD_IN", "Lakeside"), (M2, "HELD_IN", "Lakeside"), (M3, "HELD_IN", "Port Arden"),
        (LM, "MEDIATED", M2), (UN, "MEDIATED", M1),
        (IS, "REPRESENTS", VAL), (LM, "REPRESENTS", UN),
        (OS, "SUPPORTS", VAL), (H, "SUPPORTS", NF),
        (VAL, "VIOLATED", CF), (NF, "VIOLATED", CF),
    ])),
    ("evidence", {"from": "u.n.", "type": "brokered"}, rows(
        "from_name type to_name alleged sources evidence",
        (UN, "BROKERED", CF, False, [A2],
         ["The ceasefire brokered by Ostrava and the U.N. was on the agenda."]),
    )),
    ("evidence", {"from": "valdoria", "to": "nationwide"}, rows(
        "from_name type to_name alleged sources evidence",
        (VAL, "VIOLATED", CF, True, [A2],
         ["Valdoria was accused of breaking the truce; the rebels admitted shelling."]),
    )),
    ("series-timeline", {}, rows(
        "series round meeting start_date end_date status venue",
        ("Lakeside talks", 1, M1, "2019-03-04", "2019-03-05", "held", "Lakeside"),
        ("Lakeside talks", 2, M2, "2019-04-10", "2019-04-11", "held", "Lakeside"),
    )),
    ("series-timeline", {"series": "arden"}, []),
    ("actor-meetings", {}, ("actor meeting met", [
        (VAL, M1, IS), (VAL, M1, LM), (VAL, M1, UN), (VAL, M2, LM), (VAL, M2, NF),
        (IS, M1, VAL), (IS, M1, LM), (IS, M1, UN),
        (LM, M1, VAL), (LM, M1, IS), (LM, M1, UN), (LM, M2, VAL), (LM, M2, NF),
        (NF, M2, VAL), (NF, M2, LM),
        (UN, M1, VAL), (UN, M1, IS), (UN, M1, LM),
    ])),
    ("actor-meetings", {"actor": "sorel"}, rows(
        "actor meeting start_date met",
        (IS, M1, "2019-03-04", VAL), (IS, M1, "2019-03-04", LM), (IS, M1, "2019-03-04", UN),
    )),
    ("who-represents-whom", {}, rows(
        "party representative roles sources",
        (VAL, IS, ["Valdorian foreign minister"], [A1]),
        (UN, LM, ["UN special envoy"], [A1]),
    )),
    ("who-represents-whom", {"actor": "valdorian regime"}, ("party representative", [(VAL, IS)])),
    ("who-supports-whom", {}, rows(
        "supporter supported sources evidence",
        (OS, VAL, [A2], ["The ceasefire brokered by Ostrava and the U.N. was on the agenda."]),
        (H, NF, [A2], ["The Hill Men ($crew) back the Northern Front."]),
    )),
    ("who-supports-whom", {"actor": "hill men"}, ("supporter supported", [(H, NF)])),
    ("attended-and-boycotted", {}, rows("actor attended boycotted", (NF, 1, 1))),
    ("planned-meetings", {}, rows(
        "meeting kind planned_for venue series", (M3, "summit", "2019-05-20", "Port Arden", None)
    )),
    ("ceasefires-at-meeting", {}, rows(
        "meeting start_date ceasefire status date sources",
        (M2, "2019-04-10", CF, "in_force", "2019-02-27", [A2]),
    )),
    ("ceasefires-at-meeting", {"meeting": "first"}, []),
    ("shortest-chain", {"from": "ostrava", "to": "the rebels"}, rows(
        "from_actor to_actor hops chain links",
        (OS, NF, 2, f"{OS} > {CF} > {NF}", "BROKERED, VIOLATED"),
    )),
    ("shortest-chain", {"from": "Moreau", "to": "SOREL"}, rows(
        "from_actor to_actor hops chain links",
        (LM, IS, 2, f"{LM} > {M1} > {IS}", "ATTENDED, ATTENDED"),
    )),
    ("most-connected", {}, rows(
        "actor kind neighbours relationships",
        (VAL, "group", 5, 5), (NF, "group", 4, 4), (LM, "person", 3, 4),
        (UN, "organization", 3, 3), (IS, "person", 2, 2), (OS, "country", 2, 2),
        (H, "group", 1, 1),
    )),
    ("most-connected", {"limit": "2"}, ("actor", [(VAL,), (NF,)])),
    ("actor-articles", {}, ("actor article_id mentions", [
        (VAL, A2, 3), (VAL, A1, 2), (IS, A1, 1), (LM, A2, 2), (LM, A1, 3), (NF, A2, 4),
        (NF, A1, 1), (OS, A2, 1), (H, A2, 1), (UN, A2, 1), (UN, A1, 1),
    ])),
    ("actor-articles", {"actor": "OSTRAVA"}, rows(
        "actor published article article_id mentions",
        (OS, "2019-04-11", "Second round ends with truce talk", A2, 1),
    )),
]  # fmt: skip

CASE_IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]


@pytest.fixture(scope="module")
def ladybug_store(tmp_path_factory):
    """One embedded store with the fixture, shared: questions only read."""
    path = tmp_path_factory.mktemp("questions") / "graph.lbdb"
    with LadybugStore.open(path) as store:
        store.replace_graph(fixture_graph())
        yield store


def check(expected, got: list[dict]) -> None:
    if isinstance(expected, tuple):
        columns, values = expected
        assert pick(columns, got) == values
    else:
        assert got == expected


def test_every_question_has_cases():
    names = {q.name for q in list_questions()}
    assert len(names) >= 12
    assert names == {name for name, _, _ in CASES}


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=CASE_IDS)
def test_question_on_ladybug(ladybug_store, name, params, expected):
    check(expected, run_question(ladybug_store, name, parse_params_for(name, params)))


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=CASE_IDS)
def test_question_is_identical_on_neo4j(ladybug_store, neo4j_store, name, params, expected):
    neo4j_store.replace_graph(fixture_graph())
    params = parse_params_for(name, params)
    on_neo4j = run_question(neo4j_store, name, params)
    check(expected, on_neo4j)
    assert on_neo4j == run_question(ladybug_store, name, params)


def parse_params_for(name: str, params: dict) -> dict:
    """As `kg ask -p key=value` would pass them: strings, typed by the header."""
    question, _ = load_question(name, "ladybug")
    return parse_params([f"{k}={v}" for k, v in params.items()], question)


# -- the ask library ---------------------------------------------------------------------


def test_headers_are_complete():
    for question in list_questions():
        assert question.title and question.answers, question.name
        assert question.example.startswith(f"kg ask {question.name}"), question.name
        assert question.path.name == f"{question.name}.cypher"
        assert set(question.param_help) == set(question.params)
        assert set(question.variants) <= {"ladybug", "neo4j"}


def test_declared_defaults_and_variants():
    by_name = {q.name: q for q in list_questions()}
    assert by_name["meetings-by-venue"].params == {"venue": None}
    assert by_name["most-connected"].params == {"limit": 10}
    assert by_name["shortest-chain"].required == ("from", "to")
    assert by_name["planned-meetings"].params == {}
    assert set(by_name["shortest-chain"].variants) == {"ladybug"}
    _, for_ladybug = load_question("shortest-chain", "ladybug")
    _, for_neo4j = load_question("shortest-chain", "neo4j")
    assert "ALL SHORTEST" in for_ladybug and "allShortestPaths" in for_neo4j
    assert not for_neo4j.startswith("//")


def test_parse_params_types_follow_the_declared_default():
    question, _ = load_question("most-connected", "ladybug")
    assert parse_params(["limit=3"], question) == {"limit": 3}
    assert parse_params(["actor=Lena Moreau", "x=null", "y=a=b"]) == {
        "actor": "Lena Moreau",
        "x": None,
        "y": "a=b",
    }
    with pytest.raises(QueryError, match="key=value"):
        parse_params(["oops"])
    with pytest.raises(QueryError, match="wants a int"):
        parse_params(["limit=many"], question)


def test_unknown_question_lists_close_names(ladybug_store):
    with pytest.raises(QueryError, match="did you mean.*meetings-by-venue"):
        run_question(ladybug_store, "meetings-by-venu", {})
    with pytest.raises(QueryError, match="no prepared question 'zzz'; known: actor-aliases"):
        run_question(ladybug_store, "zzz", {})


def test_unknown_and_missing_parameters_are_query_errors(ladybug_store):
    with pytest.raises(QueryError, match=r"has no parameter veneu \(its parameters: venue\)"):
        run_question(ladybug_store, "meetings-by-venue", {"veneu": "x"})
    with pytest.raises(QueryError, match="needs -p from=..., -p to=..."):
        run_question(ladybug_store, "shortest-chain", {})


def test_questions_dir_from_the_environment(tmp_path: Path, monkeypatch, ladybug_store):
    (tmp_path / "count-actors.cypher").write_text(
        "// title: Count actors\n// answers: how many actors\n"
        "// param: kind = person  (an actor kind;\n//   continued help)\n"
        "// example: kg ask count-actors\n"
        "MATCH (a:Actor) WHERE a.kind = $kind RETURN count(a) AS n\n"
    )
    (tmp_path / "bad.cypher").write_text("// title: Bad\n// answers: x\nRETURN $nope AS n\n")
    monkeypatch.setenv("KG_QUESTIONS_DIR", str(tmp_path))
    assert run_question(ladybug_store, "count-actors", {}) == [{"n": 2}]
    question, _ = load_question("count-actors", "neo4j")
    assert question.param_help == {"kind": "an actor kind; continued help"}
    with pytest.raises(QueryError, match="undeclared parameter"):
        run_question(ladybug_store, "bad", {})
    (tmp_path / "bad.cypher").write_text("RETURN 1 AS n\n")
    with pytest.raises(QueryError, match="no '// title:' line"):
        list_questions()
