"""Tests for kg.evaluate and for the corpus gold file it scores against.

The gold file is checked for shape and for faithfulness to the texts: every
alias occurs verbatim in an article, and every fact's ends are mentioned by
the articles that support it. The scorer is checked on the gold itself,
which must score 1.0, and on small hand-made graphs with known figures.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from rich.table import Table

from kg.errors import EvalError
from kg.evaluate import (
    EvalReport,
    evaluate,
    graph_from_gold,
    load_gold,
    map_graph,
    normalise_name,
    render_report,
)
from kg.model import RELATIONSHIP_ENDS, Graph, Node, Relationship

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = ROOT / "tests" / "gold" / "corpus.json"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def corpus_gold() -> dict:
    return load_gold(GOLD_PATH)


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.iterdir())}


# -- the corpus gold file ----------------------------------------------------------------


def test_gold_file_validates_and_has_every_label(corpus_gold: dict) -> None:
    labels = {e["label"] for e in corpus_gold["entities"]}
    assert labels == {"Actor", "Venue", "Meeting", "Ceasefire"}
    assert "notes" in corpus_gold


def test_gold_articles_are_the_corpus_files(corpus_gold: dict, corpus_texts: dict) -> None:
    assert set(corpus_gold["mentions"]) == set(corpus_texts)
    for fact in corpus_gold["facts"]:
        assert fact["sources"], fact
        assert set(fact["sources"]) <= set(corpus_texts), fact


def test_gold_aliases_occur_verbatim(corpus_gold: dict, corpus_texts: dict) -> None:
    missing = [
        (e["id"], alias)
        for e in corpus_gold["entities"]
        for alias in e.get("aliases", [])
        if not any(alias in text for text in corpus_texts.values())
    ]
    assert missing == []


def test_gold_aliases_are_mentioned_where_they_occur(corpus_gold: dict, corpus_texts: dict) -> None:
    """A multi-word alias (a name, not a short word a longer phrase may hold)
    found in an article means the article mentions its entity."""
    absent = [
        (article, e["id"], alias)
        for e in corpus_gold["entities"]
        for alias in e.get("aliases", [])
        if " " in alias and e["label"] == "Actor"
        for article, text in corpus_texts.items()
        if alias in text and e["id"] not in corpus_gold["mentions"][article]
    ]
    assert absent == []


def test_gold_fact_ends_have_the_right_labels(corpus_gold: dict) -> None:
    label = {e["id"]: e["label"] for e in corpus_gold["entities"]}
    for fact in corpus_gold["facts"]:
        ends = (label[fact["start"]], label[fact["end"]])
        assert ends in RELATIONSHIP_ENDS[fact["type"]], fact


def test_gold_facts_are_mentioned_by_their_sources(corpus_gold: dict) -> None:
    for fact in corpus_gold["facts"]:
        for source in fact["sources"]:
            mentioned = corpus_gold["mentions"][source]
            assert fact["start"] in mentioned and fact["end"] in mentioned, (fact, source)


def test_gold_has_no_duplicate_facts_or_mentions(corpus_gold: dict) -> None:
    triples = [(f["type"], f["start"], f["end"]) for f in corpus_gold["facts"]]
    assert len(triples) == len(set(triples))
    for ids in corpus_gold["mentions"].values():
        assert len(ids) == len(set(ids))


def test_gold_aliases_do_not_collide_within_a_label(corpus_gold: dict) -> None:
    owner: dict[tuple[str, str], str] = {}
    for e in corpus_gold["entities"]:
        for alias in e.get("aliases", []):
            key = (e["label"], normalise_name(alias))
            assert owner.setdefault(key, e["id"]) == e["id"], (alias, owner[key], e["id"])


def test_gold_scored_against_itself_is_perfect(corpus_gold: dict) -> None:
    report = evaluate(graph_from_gold(corpus_gold), corpus_gold)
    scores = [*report.mentions.values(), *report.facts.values(), *report.resolution.values()]
    assert all(s.precision == s.recall == s.f1 == 1.0 for s in scores)
    assert report.duplicate_count == 0
    assert report.unmapped == [] and report.unmatched_gold == []
    assert report.facts["overall"].gold == len(corpus_gold["facts"])


# -- normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("U.N.", "un"),
        ("UN", "un"),
        ("The Kremlin", "kremlin"),
        ("the  West", "west"),
        ("Zeid Ra'ad Al Hussein", "zeid raad al hussein"),
        ("Zeid Ra’ad Al Hussein", "zeid raad al hussein"),
        ("Bashar al-Jaafari", "bashar al jaafari"),
        ("François Delattre", "francois delattre"),
        ("ＳＯＣＨＩ", "sochi"),
        ("Theodore", "theodore"),
        ("the", "the"),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


# -- small hand-made cases ---------------------------------------------------------------

SMALL_GOLD = {
    "entities": [
        {
            "id": "lavrov",
            "label": "Actor",
            "kind": "person",
            "name": "Sergey Lavrov",
            "aliases": ["Sergey Lavrov", "Lavrov"],
        },
        {
            "id": "lavrentiev",
            "label": "Actor",
            "kind": "person",
            "name": "Alexander Lavrentiev",
            "aliases": ["Alexander Lavrentiev", "Lavrentiev"],
        },
        {
            "id": "russia",
            "label": "Actor",
            "kind": "country",
            "name": "Russia",
            "aliases": ["Russia"],
        },
        {
            "id": "astana",
            "label": "Venue",
            "name": "Astana",
            "aliases": ["Astana", "Kazakh capital"],
        },
        {
            "id": "astana-3",
            "label": "Meeting",
            "kind": "talks",
            "name": "Astana 3",
            "status": "held",
            "start_date": "2017-03-14",
            "end_date": "2017-03-15",
        },
        {
            "id": "truce",
            "label": "Ceasefire",
            "name": "December truce",
            "status": "in_force",
            "date": "2016-12-30",
        },
    ],
    "facts": [
        {"type": "ATTENDED", "start": "lavrov", "end": "astana-3", "sources": ["a1"]},
        {"type": "ATTENDED", "start": "lavrentiev", "end": "astana-3", "sources": ["a1"]},
        {"type": "HELD_IN", "start": "astana-3", "end": "astana", "sources": ["a1"]},
        {"type": "REPRESENTS", "start": "lavrov", "end": "russia", "sources": ["a1"]},
        {"type": "DISCUSSED_AT", "start": "truce", "end": "astana-3", "sources": ["a1"]},
    ],
    "mentions": {"a1": ["lavrov", "lavrentiev", "russia", "astana", "astana-3", "truce"]},
}


def _small() -> tuple[dict, Graph]:
    gold = copy.deepcopy(SMALL_GOLD)
    return gold, graph_from_gold(gold)


def _actor(node_id: str, *aliases: str) -> Node:
    props = {"id": node_id, "name": aliases[0], "kind": "person", "aliases": list(aliases)}
    return Node("Actor", node_id, props)


def _mention(node: Node, article: str = "a1") -> Relationship:
    return Relationship("MENTIONED_IN", node.key, f"article:{article}", {"count": 1})


def test_missed_fact_lowers_fact_recall_only() -> None:
    gold, graph = _small()
    graph.relationships = [r for r in graph.relationships if r.type != "REPRESENTS"]
    report = evaluate(graph, gold)
    assert report.facts["overall"].precision == 1.0
    assert report.facts["overall"].recall == pytest.approx(4 / 5)
    assert report.facts["REPRESENTS"].recall == 0.0
    assert report.missing_facts == [["REPRESENTS", "lavrov", "russia"]]


def test_extra_fact_lowers_fact_precision_only() -> None:
    gold, graph = _small()
    graph.relationships.append(Relationship("BOYCOTTED", "actor:russia", "meeting:astana-3"))
    report = evaluate(graph, gold)
    assert report.facts["overall"].precision == pytest.approx(5 / 6)
    assert report.facts["overall"].recall == 1.0
    assert report.facts["BOYCOTTED"].precision == 0.0
    assert report.extra_facts == [["BOYCOTTED", "russia", "astana-3"]]


def test_unmapped_node_costs_mention_and_fact_precision() -> None:
    gold, graph = _small()
    stranger = _actor("nobody", "Nobody Known")
    graph.nodes.append(stranger)
    graph.relationships += [
        _mention(stranger),
        Relationship("ATTENDED", stranger.key, "meeting:astana-3", {"sources": ["a1"]}),
    ]
    report = evaluate(graph, gold)
    assert report.unmapped == ["actor:nobody"]
    assert report.mentions["Actor"].precision == pytest.approx(3 / 4)
    assert report.mentions["Actor"].recall == 1.0
    assert report.facts["ATTENDED"].precision == pytest.approx(2 / 3)
    assert report.facts["overall"].precision == pytest.approx(5 / 6)
    assert report.duplicate_count == 0


def test_split_entity_is_a_duplicate_and_lowers_resolution_recall() -> None:
    gold, graph = _small()
    graph.nodes = [n for n in graph.nodes if n.key != "actor:lavrov"]
    full, short = _actor("sergey-lavrov", "Sergey Lavrov"), _actor("lavrov", "Lavrov")
    graph.nodes += [full, short]
    graph.relationships.append(_mention(full))  # the old node's mention already points at short
    report = evaluate(graph, gold)
    assert report.duplicate_count == 1
    assert report.duplicates == {"lavrov": ["actor:lavrov", "actor:sergey-lavrov"]}
    # gold pairs seen: (sergey lavrov, lavrov), (alexander lavrentiev, lavrentiev)
    assert report.resolution["Actor"].precision == 1.0
    assert report.resolution["Actor"].recall == pytest.approx(1 / 2)
    # both halves map to the same gold entity: mentions and facts stay right
    assert report.mentions["Actor"].f1 == 1.0
    assert report.facts["overall"].f1 == 1.0


def test_wrong_merge_lowers_resolution_precision() -> None:
    gold, graph = _small()
    graph.nodes = [n for n in graph.nodes if n.key not in ("actor:lavrov", "actor:lavrentiev")]
    merged = _actor("lavrov", "Sergey Lavrov", "Lavrov", "Alexander Lavrentiev", "Lavrentiev")
    graph.nodes.append(merged)
    graph.relationships = [r for r in graph.relationships if r.start != "actor:lavrentiev"]
    report = evaluate(graph, gold)
    # system pairs: all 6 pairs of 4 forms; gold pairs: 2 of them
    assert report.resolution["Actor"].precision == pytest.approx(2 / 6)
    assert report.resolution["Actor"].recall == 1.0
    assert report.duplicate_count == 0
    assert report.mentions["Actor"].recall == pytest.approx(2 / 3)
    assert report.unmatched_gold == ["lavrentiev"]


def test_meeting_maps_by_venue_and_overlapping_dates() -> None:
    gold, graph = _small()
    meeting = next(n for n in graph.nodes if n.key == "meeting:astana-3")
    meeting.properties.update({"start_date": "2017-03-15", "end_date": "2017-03-16"})
    assert map_graph(graph, gold)["meeting:astana-3"] == "astana-3"
    meeting.properties.update({"start_date": "2017-05-03", "end_date": "2017-05-04"})
    assert "meeting:astana-3" not in map_graph(graph, gold)


def test_meeting_in_another_venue_does_not_map() -> None:
    gold, graph = _small()
    geneva = Node("Venue", "geneva", {"id": "geneva", "name": "Geneva", "aliases": ["Geneva"]})
    graph.nodes.append(geneva)
    for rel in graph.relationships:
        if rel.type == "HELD_IN":
            rel.end = geneva.key
    report = evaluate(graph, gold)
    assert "meeting:astana-3" in report.unmapped
    assert report.mentions["Meeting"].precision == 0.0
    # the meeting's facts no longer map: ATTENDED x2, HELD_IN, DISCUSSED_AT are wrong
    assert report.facts["overall"].tp == 1


def test_undated_meeting_maps_through_a_shared_article() -> None:
    gold, graph = _small()
    meeting = next(n for n in graph.nodes if n.key == "meeting:astana-3")
    del meeting.properties["start_date"], meeting.properties["end_date"]
    assert map_graph(graph, gold)["meeting:astana-3"] == "astana-3"
    graph.relationships = [
        r for r in graph.relationships if not (r.type == "MENTIONED_IN" and r.start == meeting.key)
    ]
    assert "meeting:astana-3" not in map_graph(graph, gold)


def test_ceasefire_needs_the_same_month_when_dated() -> None:
    gold, graph = _small()
    truce = next(n for n in graph.nodes if n.label == "Ceasefire")
    truce.properties["date"] = "2016-12-29"
    assert map_graph(graph, gold)[truce.key] == "truce"
    truce.properties["date"] = "2017-02-01"
    assert truce.key not in map_graph(graph, gold)
    del truce.properties["date"]
    assert map_graph(graph, gold)[truce.key] == "truce"


def test_indistinguishable_meetings_are_assigned_one_to_one() -> None:
    gold = copy.deepcopy(SMALL_GOLD)
    gold["entities"] += [
        {"id": "call-b", "label": "Meeting", "kind": "call", "name": "call B", "status": "held"},
        {"id": "call-a", "label": "Meeting", "kind": "call", "name": "call A", "status": "held"},
    ]
    gold["mentions"]["a1"] += ["call-a", "call-b"]
    graph = graph_from_gold(gold)
    for node in graph.nodes:
        if node.id.startswith("call-"):
            node.id = node.properties["id"] = "x-" + node.id
    for rel in graph.relationships:
        rel.start = rel.start.replace("meeting:call-", "meeting:x-call-")
    report = evaluate(graph, gold)
    assert sorted(report.mapping[k] for k in ("meeting:x-call-a", "meeting:x-call-b")) == [
        "call-a",
        "call-b",
    ]
    assert report.duplicate_count == 0


def test_participants_decide_between_two_similar_meetings() -> None:
    gold = copy.deepcopy(SMALL_GOLD)
    gold["entities"].append(
        {"id": "call-x", "label": "Meeting", "kind": "call", "name": "call", "status": "held"}
    )
    gold["entities"].append(
        {"id": "call-y", "label": "Meeting", "kind": "call", "name": "call", "status": "held"}
    )
    gold["facts"].append({"type": "ATTENDED", "start": "lavrentiev", "end": "call-y"})
    gold["mentions"]["a1"] += ["call-x", "call-y"]
    graph = graph_from_gold(gold)
    graph.nodes = [n for n in graph.nodes if n.key != "meeting:call-x"]
    graph.relationships = [r for r in graph.relationships if r.start != "meeting:call-x"]
    for node in graph.nodes:
        if node.key == "meeting:call-y":
            node.id = "only-call"
    graph.relationships = [
        Relationship(
            r.type,
            r.start.replace("meeting:call-y", "meeting:only-call"),
            r.end.replace("meeting:call-y", "meeting:only-call"),
            r.properties,
        )
        for r in graph.relationships
    ]
    assert map_graph(graph, gold)["meeting:only-call"] == "call-y"


def test_empty_graph_scores_zero() -> None:
    gold, _ = _small()
    report = evaluate(Graph(), gold)
    assert report.facts["overall"].f1 == 0.0
    assert report.mentions["Actor"].recall == 0.0
    assert report.unmatched_gold == sorted(e["id"] for e in gold["entities"])


def test_report_to_dict_is_json_with_stable_keys() -> None:
    gold, graph = _small()
    report = evaluate(graph, gold)
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data) == [
        "mentions",
        "facts",
        "resolution",
        "duplicate_count",
        "duplicates",
        "mapping",
        "unmapped",
        "unmatched_gold",
        "missing_facts",
        "extra_facts",
    ]
    assert list(data["mentions"]) == ["Actor", "Venue", "Meeting", "Ceasefire"]
    assert data["facts"]["overall"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "tp": 5,
        "system": 5,
        "gold": 5,
    }
    assert isinstance(report, EvalReport)


def test_render_report_gives_tables() -> None:
    gold, graph = _small()
    tables = render_report(evaluate(graph, gold))
    assert [type(t) for t in tables] == [Table] * 4
    assert tables[0].row_count == 4
    assert tables[1].row_count == 5  # ATTENDED, HELD_IN, DISCUSSED_AT, REPRESENTS, overall


# -- malformed gold ----------------------------------------------------------------------


def _write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_missing_gold_file_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not found"):
        load_gold(tmp_path / "absent.json")


def test_invalid_json_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not valid JSON"):
        load_gold(_write(tmp_path, '{"entities": ['))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g.pop("facts"), "'facts' must be a list"),
        (lambda g: g["entities"][0].update(label="Person"), "'label' must be one of"),
        (lambda g: g["entities"][0].pop("aliases"), "'aliases' must be a list"),
        (lambda g: g["entities"].append(dict(g["entities"][0])), "duplicate id"),
        (lambda g: g["facts"][0].update(end="nowhere"), "unknown end id"),
        (lambda g: g["facts"][0].update(end="astana"), "ATTENDED cannot go from Actor to Venue"),
        (lambda g: g["facts"][0].update(type="MENTIONED_IN"), "unknown fact type"),
        (lambda g: g["entities"][4].update(start_date="14 March"), "ISO date"),
        (lambda g: g["entities"][4].update(status="over"), "status"),
        (lambda g: g["mentions"].update(a2=["ghost"]), "unknown entity id"),
    ],
)
def test_malformed_gold_raises(tmp_path: Path, mutate, message: str) -> None:
    gold = copy.deepcopy(SMALL_GOLD)
    mutate(gold)
    with pytest.raises(EvalError, match=message) as info:
        load_gold(_write(tmp_path, json.dumps(gold)))
    assert "\n" not in str(info.value)


def test_not_an_object_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="top level"):
        load_gold(_write(tmp_path, "[]"))
