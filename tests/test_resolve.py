"""Resolve stage: alias cases, negative cases, determinism, overrides, facts.

Extractions are built by hand in the shape the extractor produces, with
phrasing taken from the corpus and from other news about negotiations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError, ResolveError
from kg.explain import explain, explanation_text, explanation_to_dict
from kg.model import Article, Event, Extraction, Fact, Graph, Mention
from kg.resolve import AliasOverrides, load_overrides, overrides_from_data, resolve


def article(aid: str, text: str, published: str | None = None) -> Article:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Article(aid, f"Title {aid}", f"corpus/{aid}.txt", sha, text, published=published)


def extraction(
    aid: str,
    text: str,
    actors: list = (),
    venues: list = (),
    events: list = (),
    facts: list = (),
    published: str | None = None,
) -> Extraction:
    """actors: (surface, kind[, role[, ner]]); venues: surface; the n-th
    spec of one surface takes its n-th occurrence in the text."""
    mentions: list[Mention] = []
    seen: dict[str, int] = {}
    for label, specs in (("Actor", actors), ("Venue", venues)):
        for spec in specs:
            spec = (spec,) if isinstance(spec, str) else tuple(spec)
            surface = spec[0]
            start = -1
            for _ in range(seen.get(surface, 0) + 1):
                start = text.index(surface, start + 1)
            seen[surface] = seen.get(surface, 0) + 1
            mentions.append(
                Mention(
                    key=f"m{len(mentions)}",
                    label=label,
                    text=surface,
                    start=start,
                    end=start + len(surface),
                    sentence=text,
                    kind=spec[1] if len(spec) > 1 else None,
                    role=spec[2] if len(spec) > 2 else None,
                    ner_label=spec[3] if len(spec) > 3 else None,
                )
            )
    return Extraction(article(aid, text, published), mentions, list(events), list(facts))


def key_of(x: Extraction, surface: str) -> str:
    return next(m.key for m in x.mentions if m.text == surface)


def node_with(graph: Graph, label: str, alias: str):
    found = [n for n in graph.nodes if n.label == label and alias in n.properties["aliases"]]
    assert found, f"no {label} node has alias {alias!r}"
    return found


def together(graph: Graph, label: str, *aliases: str) -> bool:
    for node in graph.nodes:
        if node.label == label and set(aliases) <= set(node.properties["aliases"]):
            return True
    return False


def apart(graph: Graph, label: str, a: str, b: str) -> bool:
    return (
        not together(graph, label, a, b)
        and bool(node_with(graph, label, a))
        and bool(node_with(graph, label, b))
    )


# -- within one article ---------------------------------------------------------------

ASTANA = (
    "Russian envoy Alexander Lavrentiev and Syrian regime negotiator Bashar al-Jaafari "
    "slammed the opposition's no-show. Lavrentiev said talks go on. Jaafari said the "
    "rebel boycott signalled disrespect."
)


def test_surname_links_to_full_name_given_earlier():
    x = extraction(
        "a1",
        ASTANA,
        actors=[
            ("Alexander Lavrentiev", "person", "Russian envoy"),
            ("Bashar al-Jaafari", "person", "Syrian regime negotiator"),
            ("Lavrentiev", "person"),
            ("Jaafari", "person"),
        ],
    )
    g = resolve([x])
    assert together(g, "Actor", "Bashar al-Jaafari", "Jaafari")
    assert together(g, "Actor", "Alexander Lavrentiev", "Lavrentiev")
    jaafari = node_with(g, "Actor", "Jaafari")[0]
    assert jaafari.id == "bashar-al-jaafari"
    assert jaafari.properties["kind"] == "person"
    assert jaafari.properties["roles"] == ["Syrian regime negotiator"]


def test_surname_links_to_full_name_given_later():
    text = "Lavrov said the talks would go on. Foreign Minister Sergey Lavrov spoke to Paris."
    x = extraction("a1", text, actors=[("Lavrov", "person"), ("Sergey Lavrov", "person")])
    g = resolve([x])
    assert together(g, "Actor", "Lavrov", "Sergey Lavrov")


def test_titles_honorifics_and_possessives_are_stripped():
    text = (
        "President Bashar al-Assad spoke. Mr Assad's aides listened. Dr Bouthaina Shaaban "
        "agreed. Russian Foreign Minister Sergei Lavrov's meeting ended."
    )
    x = extraction(
        "a1",
        text,
        actors=[
            ("President Bashar al-Assad", "person"),
            ("Mr Assad's", "person"),
            ("Dr Bouthaina Shaaban", "person"),
            ("Russian Foreign Minister Sergei Lavrov's", "person"),
        ],
    )
    g = resolve([x])
    names = {n.name for n in g.nodes if n.label == "Actor"}
    assert names == {"Bashar al-Assad", "Bouthaina Shaaban", "Sergei Lavrov"}
    assert together(g, "Actor", "Bashar al-Assad", "Assad")


def test_acronym_defined_in_text():
    text = (
        "Kerry pushed for a meeting of the International Syria Support Group (ISSG) in "
        "Munich. The ISSG includes the United States and Russia."
    )
    x = extraction(
        "a1",
        text,
        actors=[("International Syria Support Group", "organization"), ("ISSG", "organization")],
    )
    g = resolve([x])
    node = node_with(g, "Actor", "ISSG")[0]
    assert node.name == "International Syria Support Group"
    assert node.id == "international-syria-support-group"
    assert node.properties["kind"] == "organization"


def test_acronym_defined_in_one_article_used_alone_in_another():
    a = extraction(
        "a1",
        "the International Syria Support Group (ISSG) met",
        actors=[("International Syria Support Group", "organization")],
    )
    b = extraction("a2", "The ISSG failed to agree.", actors=[("ISSG", "organization")])
    g = resolve([a, b])
    assert together(g, "Actor", "International Syria Support Group", "ISSG")


def test_shared_surname_in_one_article_goes_to_nearest_full_name():
    text = "Hafez al-Assad ruled for decades. Assad died in 2000. Bashar al-Assad succeeded him."
    x = extraction(
        "a1",
        text,
        actors=[("Hafez al-Assad", "person"), ("Assad", "person"), ("Bashar al-Assad", "person")],
    )
    g = resolve([x])
    assert together(g, "Actor", "Hafez al-Assad", "Assad")
    assert apart(g, "Actor", "Hafez al-Assad", "Bashar al-Assad")


# -- across articles ------------------------------------------------------------------


def test_transliteration_variants_merge():
    a = extraction(
        "a1",
        "Sergey Lavrov met Alexander Lavrentiev.",
        actors=[("Sergey Lavrov", "person"), ("Alexander Lavrentiev", "person")],
    )
    b = extraction(
        "a2",
        "Sergei Lavrov met Alexander Lavrentyev.",
        actors=[("Sergei Lavrov", "person"), ("Alexander Lavrentyev", "person")],
    )
    g = resolve([a, b])
    assert together(g, "Actor", "Sergey Lavrov", "Sergei Lavrov")
    assert together(g, "Actor", "Alexander Lavrentiev", "Alexander Lavrentyev")
    rules = {r.rule for r in g.reasons if r.merged}
    assert "transliteration-variant" in rules


def test_particles_and_hyphens_merge():
    a = extraction("a1", "Bashar al-Assad spoke.", actors=[("Bashar al-Assad", "person")])
    b = extraction("a2", "Bashar Assad spoke.", actors=[("Bashar Assad", "person")])
    c = extraction("a3", "Assad spoke.", actors=[("Assad", "person")])
    d = extraction(
        "a4",
        "Bashar Jaafari and Bashar al-Jaafari.",
        actors=[("Bashar Jaafari", "person"), ("Bashar al-Jaafari", "person")],
    )
    g = resolve([a, b, c, d])
    assert together(g, "Actor", "Bashar al-Assad", "Bashar Assad", "Assad")
    node = node_with(g, "Actor", "Assad")[0]
    assert node.id == "bashar-al-assad"
    assert together(g, "Actor", "Bashar Jaafari", "Bashar al-Jaafari")
    assert apart(g, "Actor", "Bashar al-Assad", "Bashar al-Jaafari")


@pytest.mark.parametrize(
    ("forms", "name"),
    [
        (["U.N.", "UN", "United Nations"], "United Nations"),
        (["U.S.", "US", "United States", "America", "the Americans"], "United States"),
        (["EU", "European Union", "E.U."], "European Union"),
        (["NATO", "North Atlantic Treaty Organization"], "North Atlantic Treaty Organization"),
        (["Arab League", "League of Arab States"], "Arab League"),
        (["Russia", "Russian Federation", "the Russians"], "Russia"),
    ],
)
def test_lexicon_forms_merge_across_articles(forms, name):
    xs = [
        extraction(f"a{i}", f"{form} said.", actors=[(form, "organization")])
        for i, form in enumerate(forms)
    ]
    g = resolve(xs)
    actors = [n for n in g.nodes if n.label == "Actor"]
    assert len(actors) == 1
    assert actors[0].name == name
    cleaned = {f.removeprefix("the ") for f in forms}
    assert cleaned | {name} == set(actors[0].properties["aliases"])


def test_states_are_countries_and_bodies_organisations():
    x = extraction("a1", "Turkey and the UN met.", actors=[("Turkey", "country"), ("UN", "org")])
    g = resolve([x])
    kinds = {n.name: n.properties["kind"] for n in g.nodes if n.label == "Actor"}
    assert kinds == {"Turkey": "country", "United Nations": "organization"}


def test_collective_parties_merge_per_state():
    a = extraction(
        "a1",
        "Representatives of the Syrian regime met. Leaders of armed rebel groups stayed away "
        "and the rebels said the opposition would not come.",
        actors=[
            ("Syrian regime", "group"),
            ("armed rebel groups", "group"),
            ("rebels", "group"),
            ("opposition", "group"),
        ],
    )
    b = extraction(
        "a2",
        "Talks between the Syrian government and the opposition ended.",
        actors=[("Syrian government", "group"), ("opposition", "group")],
    )
    g = resolve([a, b])
    assert together(g, "Actor", "Syrian regime", "Syrian government")
    assert together(g, "Actor", "armed rebel groups", "rebels", "opposition")
    gov = node_with(g, "Actor", "Syrian regime")[0]
    assert gov.name == "Syrian government"
    assert gov.properties["kind"] == "group"
    assert node_with(g, "Actor", "rebels")[0].name == "Syrian opposition"
    assert apart(g, "Actor", "Syrian regime", "rebels")


def test_collective_parties_of_two_states_stay_apart():
    a = extraction("a1", "The Syrian government met.", actors=[("Syrian government", "group")])
    b = extraction("a2", "The Yemeni government met.", actors=[("Yemeni government", "group")])
    g = resolve([a, b])
    assert apart(g, "Actor", "Syrian government", "Yemeni government")


def test_ner_label_noise_does_not_block_merge():
    a = extraction(
        "a1",
        "Russian envoy Alexander Lavrentiev spoke.",
        actors=[("Alexander Lavrentiev", "person", None, "PERSON")],
    )
    b = extraction(
        "a2",
        "Lavrentiev announced a new meeting.",
        actors=[("Lavrentiev", "organization", None, "ORG")],
    )
    c = extraction(
        "a3",
        "Alexander Lavrentiev (tagged ORG) spoke.",
        actors=[("Alexander Lavrentiev", None, None, "ORG")],
    )
    g = resolve([a, b, c])
    assert together(g, "Actor", "Alexander Lavrentiev", "Lavrentiev")
    assert node_with(g, "Actor", "Lavrentiev")[0].properties["kind"] == "person"


# -- never merged -------------------------------------------------------------------


def test_father_and_son_never_merge():
    a = extraction("a1", "Hafez al-Assad ruled Syria.", actors=[("Hafez al-Assad", "person")])
    b = extraction("a2", "Bashar al-Assad rules Syria.", actors=[("Bashar al-Assad", "person")])
    g = resolve([a, b])
    assert apart(g, "Actor", "Hafez al-Assad", "Bashar al-Assad")
    near = [
        r
        for r in g.reasons
        if not r.merged and {r.left, r.right} == {"Hafez al-Assad", "Bashar al-Assad"}
    ]
    assert near, "the father/son near-miss should be recorded"


def test_bare_surname_of_two_people_stays_ambiguous():
    a = extraction("a1", "Hafez al-Assad ruled Syria.", actors=[("Hafez al-Assad", "person")])
    b = extraction("a2", "Bashar al-Assad rules Syria.", actors=[("Bashar al-Assad", "person")])
    c = extraction("a3", "Assad said no.", actors=[("Assad", "person")])
    d = extraction("a4", "Assad said yes.", actors=[("Assad", "person")])
    g = resolve([a, b, c, d])
    assert not together(g, "Actor", "Hafez al-Assad", "Assad")
    assert not together(g, "Actor", "Bashar al-Assad", "Assad")
    lone = node_with(g, "Actor", "Assad")
    assert len(lone) == 1 and lone[0].properties["aliases"] == ["Assad"]
    assert any(r.rule.endswith("ambiguous") and not r.merged for r in g.reasons)


def test_two_vowel_romanisations_of_a_long_surname_merge_but_close_names_do_not():
    a = extraction(
        "a1",
        "Khalifa Haftar met Hassan Diab.",
        actors=[("Khalifa Haftar", "person"), ("Hassan Diab", "person")],
    )
    b = extraction(
        "a2",
        "Khalifa Hifter met Hussein Diab.",
        actors=[("Khalifa Hifter", "person"), ("Hussein Diab", "person")],
    )
    g = resolve([a, b])
    assert together(g, "Actor", "Khalifa Haftar", "Khalifa Hifter")
    assert apart(g, "Actor", "Hassan Diab", "Hussein Diab")


def test_people_sharing_a_first_name_never_merge():
    a = extraction(
        "a1",
        "Bashar al-Assad and Bashar al-Jaafari.",
        actors=[("Bashar al-Assad", "person"), ("Bashar al-Jaafari", "person")],
    )
    b = extraction("a2", "Bashar said so.", actors=[("Bashar", "person")])
    g = resolve([a, b])
    assert apart(g, "Actor", "Bashar al-Assad", "Bashar al-Jaafari")
    assert not together(g, "Actor", "Bashar", "Bashar al-Assad")


def test_person_never_merges_with_organisation():
    a = extraction("a1", "John Kerry spoke.", actors=[("John Kerry", "person")])
    b = extraction("a2", "Kerry Group reported.", actors=[("Kerry Group", "organization")])
    c = extraction("a3", "Kerry met.", actors=[("Kerry", "person")])
    g = resolve([a, b, c])
    assert apart(g, "Actor", "John Kerry", "Kerry Group")
    assert together(g, "Actor", "John Kerry", "Kerry")


def test_venue_never_merges_with_state_and_capital_descriptor():
    a = extraction(
        "a1",
        "Talks in the Kazakh capital of Astana. Kazakhstan hosted them.",
        actors=[("Kazakhstan", "country")],
        venues=["Kazakh capital", "Astana"],
    )
    b = extraction("a2", "The Kazakh capital hosted talks.", venues=["Kazakh capital"])
    g = resolve([a, b])
    venues = [n for n in g.nodes if n.label == "Venue"]
    assert len(venues) == 1
    assert venues[0].name == "Astana" and venues[0].id == "astana"
    assert venues[0].properties["country"] == "Kazakhstan"
    assert set(venues[0].properties["aliases"]) == {"Astana", "Kazakh capital"}
    assert node_with(g, "Actor", "Kazakhstan")[0].properties["kind"] == "country"


def test_capital_descriptor_without_the_city_stays_its_own_venue():
    g = resolve([extraction("a1", "The Kazakh capital hosted talks.", venues=["Kazakh capital"])])
    assert [n.name for n in g.nodes if n.label == "Venue"] == ["Kazakh capital"]


def test_capital_metonym_is_not_the_state():
    x = extraction(
        "a1",
        "Moscow said Russia would help.",
        actors=[("Moscow", "country"), ("Russia", "country")],
    )
    g = resolve([x])
    assert apart(g, "Actor", "Moscow", "Russia")


# -- meetings and ceasefires ------------------------------------------------------------


def meeting(key, name, **kw) -> Event:
    return Event(key=key, label="Meeting", name=name, sentence=f"{name}.", **kw)


def ceasefire(key, name, **kw) -> Event:
    return Event(key=key, label="Ceasefire", name=name, sentence=f"{name}.", **kw)


def test_same_round_in_two_articles_is_one_meeting():
    a = extraction(
        "a1",
        "A third round of talks in Astana ended.",
        venues=["Astana"],
        events=[
            meeting(
                "e1",
                "third round of talks",
                kind="talks",
                status="held",
                round=3,
                series="Astana talks",
                start_date="2017-03-14",
                end_date="2017-03-15",
                venue_key="m0",
            )
        ],
    )
    b = extraction(
        "a2",
        "The third round of talks in the Kazakh capital of Astana closed.",
        venues=["Kazakh capital", "Astana"],
        events=[
            meeting(
                "e1",
                "third round of talks",
                kind="talks",
                status="held",
                round=3,
                series="Astana talks",
                venue_key="m1",
            )
        ],
    )
    g = resolve([a, b])
    meetings = [n for n in g.nodes if n.label == "Meeting"]
    assert len(meetings) == 1
    m = meetings[0]
    assert m.id == "astana-talks-round-3"
    assert m.properties["start_date"] == "2017-03-14"
    assert m.properties["status"] == "held"
    held = [r for r in g.relationships if r.type == "HELD_IN"]
    assert len(held) == 1 and held[0].end == "venue:astana"
    assert held[0].properties["sources"] == ["a1", "a2"]


def test_planned_and_held_meetings_at_different_dates_stay_apart():
    a = extraction(
        "a1",
        "A new meeting was planned for April 18-19 in Tehran.",
        venues=["Tehran"],
        events=[
            meeting("e1", "new meeting", status="planned", start_date="2017-04-18", venue_key="m0")
        ],
    )
    b = extraction(
        "a2",
        "The meeting was held in Tehran on May 2.",
        venues=["Tehran"],
        events=[meeting("e1", "meeting", status="held", start_date="2017-05-02", venue_key="m0")],
    )
    c = extraction(
        "a3",
        "Talks are set for April 18 in Tehran.",
        venues=["Tehran"],
        events=[
            meeting(
                "e1",
                "talks",
                status="planned",
                start_date="2017-04-18",
                end_date="2017-04-19",
                venue_key="m0",
            )
        ],
    )
    g = resolve([a, b, c])
    ids = sorted(n.id for n in g.nodes if n.label == "Meeting")
    assert ids == ["meeting-tehran-2017-04-18", "meeting-tehran-2017-05-02"]


def test_different_rounds_stay_apart_and_status_combines():
    a = extraction(
        "a1",
        "x",
        events=[
            meeting("e1", "fourth round", series="Astana talks", round=4, status="planned"),
            meeting("e2", "third round", series="Astana talks", round=3, status="held"),
        ],
    )
    b = extraction(
        "a2",
        "y",
        events=[meeting("e1", "fourth round", series="Astana talks", round=4, status="cancelled")],
    )
    g = resolve([a, b])
    by_id = {n.id: n for n in g.nodes if n.label == "Meeting"}
    assert set(by_id) == {"astana-talks-round-3", "astana-talks-round-4"}
    assert by_id["astana-talks-round-4"].properties["status"] == "cancelled"


def test_same_truce_in_two_articles_is_one_ceasefire():
    a = extraction(
        "a1",
        "December's shaky ceasefire",
        events=[ceasefire("c1", "December ceasefire", date="2016-12-30", status="in_force")],
    )
    b = extraction(
        "a2",
        "the truce of late December",
        events=[ceasefire("c1", "nationwide truce", date="2016-12-29", status="collapsed")],
    )
    c = extraction(
        "a3",
        "a February truce",
        events=[ceasefire("c1", "February truce", date="2016-02-27", status="agreed")],
    )
    g = resolve([a, b, c])
    by_id = {n.id: n for n in g.nodes if n.label == "Ceasefire"}
    assert set(by_id) == {"ceasefire-2016-12", "ceasefire-2016-02"}
    assert by_id["ceasefire-2016-12"].properties["status"] == "collapsed"


# -- relationships ------------------------------------------------------------------------


def _lavrov_fact(aid: str, surface: str, sentence: str) -> Extraction:
    x = extraction(
        aid,
        sentence,
        actors=[(surface, "person")],
        events=[meeting("e1", "Geneva talks", series="Geneva talks", round=4, venue_key=None)],
    )
    x.facts.append(Fact("ATTENDED", x.mentions[0].key, "e1", sentence))
    return x


def test_facts_from_two_articles_become_one_relationship_with_two_sources():
    a = _lavrov_fact("a1", "Sergey Lavrov", "Sergey Lavrov attended the Geneva talks.")
    b = _lavrov_fact("a2", "Sergei Lavrov", "Sergei Lavrov was at the fourth Geneva round.")
    g = resolve([a, b])
    attended = [r for r in g.relationships if r.type == "ATTENDED"]
    assert len(attended) == 1
    rel = attended[0]
    assert rel.properties["sources"] == ["a1", "a2"]
    assert rel.properties["evidence"] == [
        "Sergey Lavrov attended the Geneva talks.",
        "Sergei Lavrov was at the fourth Geneva round.",
    ]
    mentioned = {
        (r.start, r.end): r.properties["count"] for r in g.relationships if r.type == "MENTIONED_IN"
    }
    assert mentioned[(rel.start, "article:a1")] == 1


def test_self_loops_bad_pairs_and_violated_alleged():
    text = "Assad's forces violated the truce, rebels said. Bashar al-Assad backs Assad."
    x = extraction(
        "a1",
        text,
        actors=[("Assad", "person"), ("rebels", "group"), ("Bashar al-Assad", "person")],
        events=[ceasefire("c1", "truce", date="2016-12-30")],
    )
    assassin, rebels, full = (m.key for m in x.mentions)
    x.facts += [
        Fact("VIOLATED", assassin, "c1", text, alleged=True),
        Fact("SUPPORTS", full, assassin, text),  # self-loop once resolved
        Fact("HELD_IN", rebels, "c1", text),  # not an allowed label pair
    ]
    y = extraction(
        "a2",
        "Bashar al-Assad's forces violated the truce.",
        actors=[("Bashar al-Assad", "person")],
        events=[ceasefire("c1", "truce", date="2016-12-30")],
    )
    y.facts.append(Fact("VIOLATED", y.mentions[0].key, "c1", "They violated it.", alleged=False))
    g = resolve([x, y])
    types = [r.type for r in g.relationships if r.type != "MENTIONED_IN"]
    assert types == ["VIOLATED"]
    violated = g.relationships[0]
    assert violated.properties["alleged"] is False
    g2 = resolve([x])
    violated2 = [r for r in g2.relationships if r.type == "VIOLATED"][0]
    assert violated2.properties["alleged"] is True


def test_article_nodes_carry_metadata_without_none():
    x = extraction("a1", "Nothing happened.", published="2017-03-16")
    g = resolve([x])
    node = g.nodes[0]
    assert node.label == "Article" and node.id == "a1"
    assert node.properties["published"] == "2017-03-16"
    assert None not in node.properties.values()
    assert "url" not in node.properties


# -- determinism ----------------------------------------------------------------------------


def corpus_like() -> list[Extraction]:
    a = extraction(
        "000",
        ASTANA + " Bashar al-Assad's backers. Russia and Iran. The UN talks.",
        actors=[
            ("Alexander Lavrentiev", "person"),
            ("Bashar al-Jaafari", "person"),
            ("Lavrentiev", "person"),
            ("Jaafari", "person"),
            ("Bashar al-Assad", "person"),
            ("Russia", "country"),
            ("Iran", "country"),
            ("UN", "organization"),
            ("opposition", "group"),
        ],
    )
    b = extraction(
        "001",
        "Foreign minister Sergey Lavrov said. Lavrov did not name them. The rebels refused. "
        "UN mediator Staffan de Mistura proposed. Russia, Turkey and Iran run talks.",
        actors=[
            ("Sergey Lavrov", "person"),
            ("Lavrov", "person"),
            ("rebels", "group"),
            ("Staffan de Mistura", "person"),
            ("Russia", "country"),
            ("Turkey", "country"),
            ("Iran", "country"),
        ],
    )
    c = extraction(
        "002",
        "Bashar Jaafari, Syria's U.N. envoy, spoke. Jaafari denied it. Sergey Lavrov urged. "
        "President Bashar Assad's government. The Syrian government and the opposition.",
        actors=[
            ("Bashar Jaafari", "person"),
            ("Jaafari", "person"),
            ("Sergey Lavrov", "person"),
            ("Bashar Assad", "person"),
            ("Syrian government", "group"),
            ("opposition", "group"),
        ],
    )
    d = extraction(
        "003",
        "Staffan de Mistura halted talks. De Mistura set a date. Sergei Lavrov chaired. "
        "the International Syria Support Group (ISSG) met. The ISSG. U.S. and U.N. officials.",
        actors=[
            ("Staffan de Mistura", "person"),
            ("De Mistura", "person"),
            ("Sergei Lavrov", "person"),
            ("International Syria Support Group", "org"),
            ("ISSG", "organization"),
            ("U.S.", "country"),
            ("U.N.", "organization"),
        ],
    )
    return [a, b, c, d]


def graph_signature(g: Graph) -> str:
    return json.dumps(
        {
            "nodes": [(n.label, n.id, n.properties) for n in g.nodes],
            "rels": [(r.type, r.start, r.end, r.properties) for r in g.relationships],
            "reasons": [asdict(r) for r in g.reasons],
        },
        sort_keys=True,
    )


def test_corpus_like_clusters():
    g = resolve(corpus_like())
    assert together(g, "Actor", "Sergey Lavrov", "Sergei Lavrov", "Lavrov")
    assert together(g, "Actor", "Bashar al-Jaafari", "Bashar Jaafari", "Jaafari")
    assert together(g, "Actor", "Staffan de Mistura", "De Mistura")
    assert together(g, "Actor", "UN", "U.N.")
    assert together(g, "Actor", "ISSG", "International Syria Support Group")
    assert together(g, "Actor", "Bashar al-Assad", "Bashar Assad")
    assert together(g, "Actor", "rebels", "opposition")
    ids = [n.id for n in g.nodes if n.label == "Actor"]
    assert len(ids) == len(set(ids))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(4)), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_graph(order, rnd):
    base = corpus_like()
    expected = graph_signature(resolve(base))
    shuffled = [base[i] for i in order]
    for x in shuffled:
        rnd.shuffle(x.mentions)
    assert graph_signature(resolve(shuffled)) == expected


def test_ids_are_deterministic_across_runs():
    first = [n.key for n in resolve(corpus_like()).nodes]
    second = [n.key for n in resolve(corpus_like()).nodes]
    assert first == second
    assert "actor:sergei-lavrov" in first or "actor:sergey-lavrov" in first


# -- overrides --------------------------------------------------------------------------------


NAMES = [
    "Sergey Lavrov",
    "Lavrov",
    "Bashar al-Assad",
    "Hafez al-Assad",
    "Assad",
    "Bashar al-Jaafari",
    "Jaafari",
    "Staffan de Mistura",
    "John Kerry",
    "Kerry",
]


def many_articles() -> list[Extraction]:
    xs = []
    for i, name in enumerate(NAMES):
        xs.append(extraction(f"n{i}", f"{name} spoke.", actors=[(name, "person")]))
    xs.append(
        extraction(
            "pair",
            "Hafez al-Assad and Assad spoke.",
            actors=[("Hafez al-Assad", "person"), ("Assad", "person")],
        )
    )
    return xs


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(NAMES), min_size=2, max_size=3, unique=True), max_size=2),
    st.lists(st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True), max_size=2),
)
def test_forced_merges_and_forbids_always_hold(merges, separates):
    try:
        overrides = AliasOverrides(
            merge=tuple(map(tuple, merges)), separate=tuple(map(tuple, separates))
        )
    except ResolveError:
        return  # contradictory files are rejected up front (tested below)
    g = resolve(many_articles(), overrides)
    for group in merges:
        assert together(g, "Actor", *group), group
    for a, b in separates:
        assert not together(g, "Actor", a, b), (a, b)


def test_contradictory_overrides_are_rejected():
    with pytest.raises(ResolveError):
        AliasOverrides(
            merge=(("Lavrov", "Sergey Lavrov"),), separate=(("Lavrov", "Sergey Lavrov"),)
        )


def test_separate_override_splits_a_rule_merge_and_canonical_applies():
    a = extraction("a1", "Sergey Lavrov spoke.", actors=[("Sergey Lavrov", "person")])
    b = extraction("a2", "Sergei Lavrov spoke.", actors=[("Sergei Lavrov", "person")])
    assert together(resolve([a, b]), "Actor", "Sergey Lavrov", "Sergei Lavrov")
    sep = overrides_from_data({"separate": [["Sergey Lavrov", "Sergei Lavrov"]]})
    assert apart(resolve([a, b], sep), "Actor", "Sergey Lavrov", "Sergei Lavrov")
    canon = overrides_from_data({"canonical": ["Sergey Lavrov"]})
    node = node_with(resolve([a, b], canon), "Actor", "Sergei Lavrov")[0]
    assert node.name == "Sergey Lavrov" and node.id == "sergey-lavrov"


def test_load_overrides_reads_yaml(tmp_path):
    path = tmp_path / "kg-aliases.yml"
    path.write_text(
        'merge:\n  - ["Sergey Lavrov", "Lavrov", "S. Lavrov"]\n'
        'separate:\n  - ["Bashar al-Assad", "Hafez al-Assad"]\n'
        'canonical:\n  - "Sergey Lavrov"\n'
    )
    overrides = load_overrides(path)
    assert overrides.merge == (("Sergey Lavrov", "Lavrov", "S. Lavrov"),)
    assert overrides.separate == (("Bashar al-Assad", "Hafez al-Assad"),)


@pytest.mark.parametrize(
    "content",
    [
        'merge: [["a", "b"]\n',  # broken YAML
        'merge: "Lavrov"\n',  # not a list of lists
        'merge:\n  - ["Lavrov"]\n',  # a group of one
        "aliases: []\n",  # unknown key
        "- just a list\n",  # not a mapping
        'merge: [["A", "B"]]\nseparate: [["A", "B"]]\n',  # contradiction
    ],
)
def test_bad_overrides_file_raises_one_line(tmp_path, content):
    path = tmp_path / "bad.yml"
    path.write_text(content)
    with pytest.raises(ResolveError) as info:
        load_overrides(path)
    assert "\n" not in str(info.value)


def test_missing_overrides_file_raises(tmp_path):
    with pytest.raises(ResolveError):
        load_overrides(tmp_path / "nope.yml")


# -- explain ------------------------------------------------------------------------------------


def test_explain_shows_members_reasons_and_near_misses():
    a = extraction("a1", "Hafez al-Assad ruled Syria.", actors=[("Hafez al-Assad", "person")])
    b = extraction(
        "a2",
        "Bashar al-Assad rules. Assad said.",
        actors=[("Bashar al-Assad", "person"), ("Assad", "person")],
    )
    c = extraction("a3", "Bashar Assad said.", actors=[("Bashar Assad", "person")])
    g = resolve([a, b, c])
    e = explain(g, "assad")
    assert e.node_id == "bashar-al-assad" and e.label == "Actor"
    assert set(e.members) == {"Bashar al-Assad", "Assad", "Bashar Assad"}
    assert {r.rule for r in e.merges} >= {"same-article-partial-name"}
    assert any({r.left, r.right} == {"Hafez al-Assad", "Bashar al-Assad"} for r in e.near_misses)
    text = explanation_text(e)
    assert "Bashar al-Assad" in text and "near-miss" in text.lower()
    # reasons read back from the JSON file beside the store are plain dicts
    g.reasons = [asdict(r) for r in g.reasons]
    again = explanation_to_dict(explain(g, "Bashar Assad"))
    assert again["key"] == "actor:bashar-al-assad"
    assert again["near_misses"] and again["merges"]


def test_explain_unknown_name_raises():
    with pytest.raises(QueryError):
        explain(resolve(corpus_like()), "Nobody Atall")


# -- more collective, acronym and event rules ---------------------------------------------


def test_leader_regime_resolves_through_the_leaders_role():
    a = extraction(
        "a1",
        "Syrian President Bashar al-Assad spoke. The Assad regime and the Syrian government.",
        actors=[
            ("Bashar al-Assad", "person", "Syrian President"),
            ("Assad regime", "group"),
            ("Syrian government", "group"),
        ],
    )
    b = extraction(
        "a2",
        "Russian President Vladimir Putin spoke. Critics of the Putin regime.",
        actors=[("Vladimir Putin", "person", "Russian President"), ("Putin regime", "group")],
    )
    c = extraction(
        "a3", "The Obama administration said.", actors=[("Obama administration", "group")]
    )
    g = resolve([a, b, c])
    assert together(g, "Actor", "Assad regime", "Syrian government")
    assert node_with(g, "Actor", "Putin regime")[0].name == "Russian government"
    assert apart(g, "Actor", "Putin regime", "Assad regime")
    # no person "Obama" with a state role in the corpus: stays its own node
    assert node_with(g, "Actor", "Obama administration")[0].name == "Obama administration"


def test_modifiers_of_collective_parties():
    x = extraction(
        "a1",
        "The Syrian regime met major opposition forces and disparate opposition groups.",
        actors=[
            ("Syrian regime", "group"),
            ("major opposition forces", "group"),
            ("disparate opposition groups", "group"),
        ],
    )
    g = resolve([x])
    assert together(g, "Actor", "major opposition forces", "disparate opposition groups")
    assert node_with(g, "Actor", "major opposition forces")[0].name == "Syrian opposition"


def test_parenthesis_after_a_name_defines_only_a_matching_acronym():
    text = "the Islamic State of Iraq and Syria (ISIS) and other groups. ISIS fighters."
    x = extraction("a1", text, actors=[("Syria", "country"), ("ISIS", "organization")])
    g = resolve([x])
    assert apart(g, "Actor", "Syria", "ISIS")


def test_undated_planned_meetings_merge_but_held_ones_do_not():
    a = extraction(
        "a1",
        "a future round in Astana",
        venues=["Astana"],
        events=[
            meeting("e1", "talks in Astana", kind="talks", status="planned", venue_key="m0"),
            meeting("e2", "talks in Astana", kind="talks", status="held", venue_key="m0"),
        ],
    )
    b = extraction(
        "a2",
        "the next meeting in Astana",
        venues=["Astana"],
        events=[
            meeting("e1", "meeting in Astana", kind="meeting", status="planned", venue_key="m0"),
            meeting("e2", "talks in Astana", kind="talks", status="held", venue_key="m0"),
        ],
    )
    g = resolve([a, b])
    meetings = [n for n in g.nodes if n.label == "Meeting"]
    planned = [n for n in meetings if n.properties["status"] == "planned"]
    held = [n for n in meetings if n.properties["status"] == "held"]
    assert len(planned) == 1 and planned[0].properties["kind"] == "talks"
    assert len(held) == 2


def test_undated_truces_reported_with_the_same_meeting_are_one():
    def report(aid):
        x = extraction(
            aid,
            "round 3 in Astana; the fragile ceasefire",
            venues=["Astana"],
            events=[
                meeting(
                    "e1",
                    "Astana talks, round 3",
                    round=3,
                    series="Astana talks",
                    status="held",
                    venue_key="m0",
                ),
                ceasefire("c1", f"ceasefire ({aid})", status="in_force"),
            ],
        )
        x.facts.append(Fact("DISCUSSED_AT", "c1", "e1", "The ceasefire was discussed."))
        return x

    g = resolve(
        [
            report("a1"),
            report("a2"),
            extraction("a3", "another truce", events=[ceasefire("c1", "another truce")]),
        ]
    )
    truces = [n for n in g.nodes if n.label == "Ceasefire"]
    assert len(truces) == 2
    discussed = [r for r in g.relationships if r.type == "DISCUSSED_AT"]
    assert len(discussed) == 1 and discussed[0].properties["sources"] == ["a1", "a2"]


def test_lexicon_covers_the_un_member_states():
    from kg.resolve.lexicon import LEXICON

    states = set(LEXICON.state_by_form.values())
    assert len(states) >= 193
    assert LEXICON.state_of("us") == LEXICON.state_of("america") == "United States"
    assert LEXICON.state_of("kazakh") == "Kazakhstan"
    assert all(LEXICON.capital_of.get(s) for s in states)


def test_name_without_middle_name_fitting_two_people_joins_neither():
    a = extraction("a1", "Mohammad Javad Zarif spoke.", actors=[("Mohammad Javad Zarif", "person")])
    b = extraction("a2", "Mohammad Ali Zarif spoke.", actors=[("Mohammad Ali Zarif", "person")])
    c = extraction("a3", "Mohammad Zarif spoke.", actors=[("Mohammad Zarif", "person")])
    g = resolve([a, b, c])
    assert apart(g, "Actor", "Mohammad Javad Zarif", "Mohammad Ali Zarif")
    assert not together(g, "Actor", "Mohammad Zarif", "Mohammad Javad Zarif")
    assert not together(g, "Actor", "Mohammad Zarif", "Mohammad Ali Zarif")
    g2 = resolve([a, c])
    assert together(g2, "Actor", "Mohammad Zarif", "Mohammad Javad Zarif")


def test_initial_and_surname_forms_across_articles():
    a = extraction("a1", "Sergey Lavrov spoke.", actors=[("Sergey Lavrov", "person")])
    b = extraction("a2", "S. Lavrov spoke.", actors=[("S. Lavrov", "person")])
    c = extraction("a3", "V. Lavrov spoke.", actors=[("V. Lavrov", "person")])
    g = resolve([a, b, c])
    assert together(g, "Actor", "Sergey Lavrov", "S. Lavrov")
    assert not together(g, "Actor", "Sergey Lavrov", "V. Lavrov")


def test_venue_override_merges_a_descriptor():
    a = extraction("a1", "a summit in the Black Sea resort of Sochi", venues=["Black Sea resort"])
    b = extraction("a2", "talks in Sochi", venues=["Sochi"])
    assert apart(resolve([a, b]), "Venue", "Black Sea resort", "Sochi")
    overrides = overrides_from_data({"merge": [["Sochi", "Black Sea resort"]]})
    g = resolve([a, b], overrides)
    assert together(g, "Venue", "Sochi", "Black Sea resort")
    assert node_with(g, "Venue", "Sochi")[0].name == "Sochi"


def events_like() -> list[Extraction]:
    out = []
    for i, (rnd, status, start) in enumerate(
        [
            (3, "held", "2017-03-14"),
            (3, "held", None),
            (4, "planned", "2017-05-03"),
            (4, "held", "2017-05-04"),
            (None, "planned", "2017-04-18"),
            (None, "held", None),
        ]
    ):
        x = extraction(
            f"e{i}",
            "Lavrentiev and Jaafari met in Astana; the rebels stayed away from the truce.",
            actors=[("Lavrentiev", "person"), ("Jaafari", "person"), ("rebels", "group")],
            venues=["Astana"],
            events=[
                meeting(
                    "e1",
                    f"talks {i}",
                    kind="talks",
                    status=status,
                    round=rnd,
                    series="Astana talks",
                    start_date=start,
                    venue_key="m3",
                ),
                ceasefire("c1", "truce", date="2016-12-30" if i % 2 else None),
            ],
        )
        x.facts += [
            Fact("ATTENDED", "m0", "e1", f"Lavrentiev attended ({i})."),
            Fact("BOYCOTTED", "m2", "e1", "The rebels stayed away."),
            Fact("VIOLATED", "m2", "c1", "Rebels violated it.", alleged=bool(i % 2)),
        ]
        out.append(x)
    return out


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)))
def test_event_resolution_does_not_depend_on_order(order):
    base = events_like()
    expected = graph_signature(resolve(base))
    assert graph_signature(resolve([base[i] for i in order])) == expected
    ids = sorted(n.id for n in resolve(base).nodes if n.label == "Meeting")
    assert "astana-talks-round-3" in ids and "astana-talks-round-4" in ids


def test_surname_next_to_two_spellings_of_one_person():
    text = "Sergey Lavrov arrived. Sergei Lavrov, as Reuters spells it, spoke. Lavrov left."
    x = extraction(
        "a1",
        text,
        actors=[("Sergey Lavrov", "person"), ("Sergei Lavrov", "person"), ("Lavrov", "person")],
    )
    g = resolve([x])
    assert together(g, "Actor", "Sergey Lavrov", "Sergei Lavrov", "Lavrov")
    assert not [r for r in g.reasons if not r.merged]


def test_same_round_of_two_series_in_one_city_stays_apart():
    a = extraction(
        "a1",
        "Geneva",
        venues=["Geneva"],
        events=[
            meeting(
                "e1", "Syria talks round 3", series="intra-Syrian talks", round=3, venue_key="m0"
            )
        ],
    )
    b = extraction(
        "a2",
        "Geneva",
        venues=["Geneva"],
        events=[
            meeting("e1", "Yemen talks round 3", series="Yemen talks", round=3, venue_key="m0")
        ],
    )
    g = resolve([a, b])
    ids = sorted(n.id for n in g.nodes if n.label == "Meeting")
    assert ids == ["intra-syrian-talks-round-3", "yemen-talks-round-3"]
    assert any(r.rule.endswith("different-series") for r in g.reasons if not r.merged)


# -- invariants on arbitrary input ----------------------------------------------------------

FORMS = [
    "Sergey Lavrov",
    "Lavrov",
    "S. Lavrov",
    "Sergei Lavrov",
    "Bashar al-Assad",
    "Assad",
    "Hafez al-Assad",
    "the rebels",
    "Syrian regime",
    "UN",
    "U.N.",
    "ISSG",
    "Russia",
    "Kazakh capital",
    "Astana",
    "President",
    "Mr",
    "al-",
    "Ça",
    "Ünal Çelik",
    "ΑΘΗΝΑ",
]
EVENT = st.builds(
    lambda label, rnd, status, day, series: Event(
        key="",
        label=label,
        name=f"{label} {rnd}",
        sentence="s.",
        round=rnd,
        status=status,
        start_date=day if label == "Meeting" else None,
        date=day if label == "Ceasefire" else None,
        series=series,
    ),
    st.sampled_from(["Meeting", "Ceasefire"]),
    st.one_of(st.none(), st.integers(1, 3)),
    st.sampled_from(["held", "planned", "cancelled", "unknown", "agreed", "in_force"]),
    st.one_of(st.none(), st.sampled_from(["2017-03-14", "2017-03-15", "2017-05-03", "bad"])),
    st.one_of(st.none(), st.sampled_from(["Astana talks", "Geneva talks"])),
)
ARTICLE = st.tuples(
    st.lists(
        st.tuples(
            st.sampled_from(["Actor", "Venue"]),
            st.one_of(st.sampled_from(FORMS), st.text(min_size=0, max_size=12)),
            st.sampled_from([None, "person", "organization", "group", "country"]),
        ),
        max_size=8,
    ),
    st.lists(EVENT, max_size=3),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["ATTENDED", "HELD_IN", "VIOLATED", "SUPPORTS", "MENTIONED_IN", "BOGUS"]
            ),
            st.integers(0, 10),
            st.integers(0, 10),
        ),
        max_size=6,
    ),
)


def random_extraction(aid: str, spec) -> Extraction:
    mentions_spec, events, facts_spec = spec
    mentions = [
        Mention(f"m{i}", label, text, i * 10, i * 10 + len(text), "s.", kind=kind)
        for i, (label, text, kind) in enumerate(mentions_spec)
    ]
    for i, event in enumerate(events):
        event.key = f"e{i}"
        event.venue_key = "m0" if mentions and event.label == "Meeting" else None
    keys = [m.key for m in mentions] + [e.key for e in events] + ["nope"]
    facts = [Fact(t, keys[a % len(keys)], keys[b % len(keys)], "s.") for t, a, b in facts_spec]
    text = "".join(m.text.ljust(10) for m in mentions)
    return Extraction(article(aid, text), mentions, events, facts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ARTICLE, min_size=1, max_size=4))
def test_graph_invariants_on_arbitrary_input(specs):
    xs = [random_extraction(f"r{i}", spec) for i, spec in enumerate(specs)]
    g = resolve(xs)
    keys = [n.key for n in g.nodes]
    assert len(keys) == len(set(keys))
    for node in g.nodes:
        assert node.properties["id"] == node.id and node.properties["name"]
        if node.label in ("Actor", "Venue"):
            assert node.name in node.properties["aliases"]
            assert node.properties["aliases"] == sorted(set(node.properties["aliases"]))
    for rel in g.relationships:
        assert rel.start in keys and rel.end in keys and rel.start != rel.end
        if rel.type != "MENTIONED_IN":
            assert rel.properties["sources"] and len(rel.properties["evidence"]) <= 5
    assert graph_signature(resolve(list(reversed(xs)))) == graph_signature(g)


def test_vague_duplicate_meetings_of_one_article_are_one():
    x = extraction(
        "a1",
        "a meeting in Tehran; talks in Tehran",
        venues=["Tehran"],
        events=[
            meeting("e1", "meeting in Tehran", kind="meeting", status="planned", venue_key="m0"),
            meeting("e2", "talks in Tehran", kind="talks", status="planned", venue_key="m0"),
            meeting("e3", "talks in Tehran", kind="talks", status="held", venue_key="m0"),
            meeting(
                "e4",
                "Tehran talks, round 1",
                kind="talks",
                status="planned",
                round=1,
                venue_key="m0",
            ),
        ],
    )
    g = resolve([x])
    assert len([n for n in g.nodes if n.label == "Meeting"]) == 3
    held_in = [r for r in g.relationships if r.type == "HELD_IN"]
    assert len(held_in) == 3


def test_acronym_in_another_languages_word_order_is_defined_by_the_name():
    text = (
        "the Democratic Forces for the Liberation of Rwanda (FDLR) and the "
        "Syrian Democratic Forces (YPG) were named. The FDLR denied it; the YPG did not."
    )
    x = extraction(
        "a1",
        text,
        actors=[
            ("Democratic Forces for the Liberation of Rwanda", "organization"),
            ("FDLR", "organization"),
            ("Syrian Democratic Forces", "organization"),
            ("YPG", "organization"),
            ("FDLR", "organization"),
            ("YPG", "organization"),
        ],
    )
    g = resolve([x])
    assert together(g, "Actor", "Democratic Forces for the Liberation of Rwanda", "FDLR")
    assert apart(g, "Actor", "Syrian Democratic Forces", "YPG")


def test_known_as_in_the_text_makes_an_alias_also_used_in_other_articles():
    a = extraction(
        "a1",
        "Rafael Guillen, better known as Marcos, met envoys. Later Marcos left.",
        actors=[("Rafael Guillen", "person"), ("Marcos", "person"), ("Marcos", "person")],
    )
    b = extraction(
        "a2", "Marcos told reporters the talks had failed.", actors=[("Marcos", "person")]
    )
    g = resolve([a, b])
    node = node_with(g, "Actor", "Marcos")
    assert len(node) == 1 and node[0].name == "Rafael Guillen"
    assert any(r.rule == "known-as-in-text" for r in g.reasons)
    assert any(r.rule == "short-form-resolved-elsewhere" for r in g.reasons)


def test_alias_cue_before_a_possessive_or_a_sentence_is_not_an_alias():
    text = "Omar Hassan, dubbed Kiir's closest ally, arrived. Ali Nur was known as Obote said."
    x = extraction(
        "a1",
        text,
        actors=[
            ("Omar Hassan", "person"),
            ("Kiir", "person"),
            ("Ali Nur", "person"),
            ("Obote", "person"),
        ],
    )
    g = resolve([x])
    assert apart(g, "Actor", "Omar Hassan", "Kiir")
    assert apart(g, "Actor", "Ali Nur", "Obote")


def test_party_word_joins_the_group_its_article_qualifies_with_it():
    a = extraction(
        "a1",
        "Talks with LRA rebels resumed in Juba. The guerrillas said the rebels would stay.",
        actors=[
            ("LRA", "organization"),
            ("rebels", "group"),
            ("guerrillas", "group"),
            ("rebels", "group"),
        ],
    )
    b = extraction(
        "a2",
        "The Ugandan government and the rebels met. The guerrillas left.",
        actors=[("Ugandan government", "group"), ("rebels", "group"), ("guerrillas", "group")],
    )
    g = resolve([a, b])
    lra = node_with(g, "Actor", "LRA")
    assert len(lra) == 1 and {"guerrillas", "rebels"} <= set(lra[0].properties["aliases"])
    assert lra[0].properties["kind"] == "organization"
    # the other article names no group for its words: they stay a party of their own
    assert node_with(g, "Actor", "Ugandan government")[0].name == "Ugandan government"
    assert len(node_with(g, "Actor", "guerrillas")) == 2


def test_army_joins_the_one_state_armed_forces_named_in_its_article():
    a = extraction(
        "a1",
        "The Ethiopian National Defense Forces (ENDF) and the Oromo Liberation Army met. "
        "The army said its army delegation would return.",
        actors=[
            ("Ethiopian National Defense Forces", "organization"),
            ("Oromo Liberation Army", "organization"),
            ("army", "group"),
            ("army delegation", "group"),
        ],
    )
    b = extraction(
        "a2",
        "The Ethiopian National Defense Forces and the Eritrean Army clashed; the army denied it.",
        actors=[
            ("Ethiopian National Defense Forces", "organization"),
            ("Eritrean Army", "organization"),
            ("army", "group"),
        ],
    )
    g = resolve([a, b])
    endf = node_with(g, "Actor", "Ethiopian National Defense Forces")
    assert len(endf) == 1 and {"army", "army delegation"} <= set(endf[0].properties["aliases"])
    assert apart(g, "Actor", "Oromo Liberation Army", "army")
    # two state armies in the second article: its "army" is neither of them
    assert apart(g, "Actor", "Eritrean Army", "army")
    assert any(r.rule == "party-word-of-named-group" for r in g.reasons)


def _report(aid, venue, published, **kw) -> Extraction:
    return extraction(
        aid,
        f"leaders met in {venue}",
        venues=[venue],
        events=[meeting("e1", f"{kw.get('kind', 'meeting')} in {venue}", venue_key="m0", **kw)],
        published=published,
    )


def test_undated_report_joins_the_one_dated_meeting_its_article_fits():
    dated = _report(
        "a1", "Paris", "2021-03-08", kind="summit", status="held", start_date="2021-03-07"
    )
    later = _report("a2", "Paris", "2021-03-09", kind="conference", status="held")
    g = resolve([dated, later])
    meetings = [n for n in g.nodes if n.label == "Meeting"]
    assert len(meetings) == 1 and meetings[0].properties["start_date"] == "2021-03-07"
    assert any(r.rule == "undated-report-of-dated-meeting" for r in g.reasons)


def test_undated_report_stays_apart_without_evidence_or_with_two_sessions():
    first = _report(
        "a1", "Paris", "2021-03-08", kind="meeting", status="held", start_date="2021-03-07"
    )
    second = _report(
        "a2", "Paris", "2021-03-20", kind="meeting", status="held", start_date="2021-03-20"
    )
    undated = _report("a3", "Paris", "2021-03-21", kind="meeting", status="held")
    no_date = _report("a4", "Paris", None, kind="meeting", status="held")
    much_later = _report("a5", "Paris", "2021-06-01", kind="meeting", status="held")
    a_call = _report("a6", "Paris", "2021-03-08", kind="call", status="held")
    for extra in (undated, no_date, much_later, a_call):
        xs = [first, second, extra] if extra is undated else [first, extra]
        g = resolve(xs)
        meetings = [n for n in g.nodes if n.label == "Meeting"]
        assert len(meetings) == len(xs), extra.article.id
    # a planned meeting reported before its date, held one reported after
    planned = _report("a7", "Paris", "2021-03-01", kind="meeting", status="planned")
    held_before = _report("a8", "Paris", "2021-03-01", kind="meeting", status="held")
    assert len([n for n in resolve([first, planned]).nodes if n.label == "Meeting"]) == 1
    assert len([n for n in resolve([first, held_before]).nodes if n.label == "Meeting"]) == 2


def test_the_date_talks_began_starts_the_talks_its_article_reports():
    text = "The truce was signed in Lome on Saturday at talks. The talks began on March 2."
    x = extraction(
        "a1",
        text,
        venues=["Lome"],
        events=[
            meeting(
                "e1",
                "meeting in Lome",
                kind="meeting",
                status="held",
                start_date="2022-03-17",
                venue_key="m0",
            ),
            Event(
                "e2",
                "Meeting",
                "talks (2022-03-12)",
                "The truce was signed at talks.",
                kind="talks",
                status="held",
                start_date="2022-03-12",
            ),
            Event(
                "e3",
                "Meeting",
                "talks (2022-03-02)",
                "The talks began on March 2.",
                kind="talks",
                status="held",
                start_date="2022-03-02",
            ),
        ],
    )
    g = resolve([x])
    meetings = {n.properties["start_date"]: n for n in g.nodes if n.label == "Meeting"}
    assert sorted(meetings) == ["2022-03-02", "2022-03-17"]
    # without the start verb two dated reports of talks stay two meetings
    x.events[2].sentence = "Earlier talks were held on March 2."
    assert len([n for n in resolve([x]).nodes if n.label == "Meeting"]) == 3


def test_bare_surname_is_not_the_person_introduced_as_a_relative():
    text = (
        "The militia, led by Yusuf Warsame Ali, agreed. Later Omar Ali, a brother of "
        "the militia's leader, said it would not sign. Ali was not seen in public."
    )
    x = extraction(
        "a1",
        text,
        actors=[("Yusuf Warsame Ali", "person"), ("Omar Ali", "person"), ("Ali", "person")],
    )
    x.mentions[2].start = text.index("Ali was")
    x.mentions[2].end = x.mentions[2].start + 3
    g = resolve([x])
    assert together(g, "Actor", "Yusuf Warsame Ali", "Ali")
    assert apart(g, "Actor", "Yusuf Warsame Ali", "Omar Ali")
    # without the kinship apposition the nearest preceding full name wins
    plain_text = text.replace(", a brother of the militia's leader,", "")
    plain = extraction(
        "a1",
        plain_text,
        actors=[("Yusuf Warsame Ali", "person"), ("Omar Ali", "person"), ("Ali", "person")],
    )
    bare = plain.mentions[2]
    bare.start = plain_text.index("Ali was")
    bare.end = bare.start + 3
    assert together(resolve([plain]), "Actor", "Omar Ali", "Ali")


def test_singular_and_plural_of_a_group_name_are_one_but_people_stay_apart():
    a = extraction(
        "a1",
        "The Shabaab delegation left. The Shabaabs said no. William spoke to Williams.",
        actors=[
            ("Shabaab", "group"),
            ("Shabaabs", "group"),
            ("William", "person"),
            ("Williams", "person"),
        ],
    )
    g = resolve([a])
    assert together(g, "Actor", "Shabaab", "Shabaabs")
    assert apart(g, "Actor", "William", "Williams")


def test_group_called_by_a_party_word_still_merges_across_articles():
    a = extraction(
        "a1",
        "Talks with the ELN rebels resumed.",
        actors=[("ELN", "organization"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "The ELN rebels left. Elsewhere the National Liberation Army (ELN) spoke.",
        actors=[("ELN", "organization"), ("rebels", "group")],
    )
    c = extraction(
        "a3",
        "The KLA rebels met the ELN.",
        actors=[("KLA", "organization"), ("rebels", "group"), ("ELN", "organization")],
    )
    g = resolve([a, b, c])
    eln = node_with(g, "Actor", "ELN")
    assert len(eln) == 1 and "rebels" in eln[0].properties["aliases"]
    assert apart(g, "Actor", "ELN", "KLA")


def test_a_states_forces_described_in_lower_case_are_one_party_per_state():
    a = extraction(
        "a1",
        "Syrian forces and Russian forces advanced against the rebels.",
        actors=[("Syrian forces", "group"), ("Russian forces", "group"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "The Syrian army denied it. The Sudanese Armed Forces were not involved.",
        actors=[("Syrian army", "group"), ("Sudanese Armed Forces", "organization")],
    )
    g = resolve([a, b])
    syrian = node_with(g, "Actor", "Syrian forces")
    assert len(syrian) == 1 and "Syrian army" in syrian[0].properties["aliases"]
    assert syrian[0].name == "Syrian army" and syrian[0].properties["kind"] == "group"
    assert apart(g, "Actor", "Syrian forces", "Russian forces")
    # a capitalised head is a proper name, not a description
    saf = node_with(g, "Actor", "Sudanese Armed Forces")[0]
    assert saf.name == "Sudanese Armed Forces" and saf.properties["kind"] == "organization"
    # "Russian forces" lends no state: the rebels are not "Russian opposition"
    assert node_with(g, "Actor", "rebels")[0].name != "Russian opposition"


# -- collective parties scoped to their conflict ------------------------------------------


def test_state_less_rebels_of_two_conflicts_stay_apart():
    a = extraction(
        "a1",
        "The Colombian government and the rebels met. The rebels left.",
        actors=[("Colombian government", "group"), ("rebels", "group"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "The Yemeni government said the rebels broke the truce.",
        actors=[("Yemeni government", "group"), ("rebels", "group")],
    )
    g = resolve([a, b])
    rebels = node_with(g, "Actor", "rebels")
    assert sorted(n.name for n in rebels) == ["Colombian opposition", "Yemeni opposition"]


def test_state_less_collective_without_state_context_stays_in_its_article():
    a = extraction(
        "a1",
        "The Syrian government and the rebels met.",
        actors=[("Syrian government", "group"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "The Yemeni government and the rebels met.",
        actors=[("Yemeni government", "group"), ("rebels", "group")],
    )
    c = extraction(
        "a3",
        "The government and the rebels met again. The government left.",
        actors=[("government", "group"), ("rebels", "group"), ("government", "group")],
    )
    d = extraction(
        "a4",
        "The government said the rebels had left.",
        actors=[("government", "group"), ("rebels", "group")],
    )
    g = resolve([a, b, c, d])
    rebels = node_with(g, "Actor", "rebels")
    assert len(rebels) == 4  # Syrian, Yemeni, and one of each state-less article
    governments = [n for n in node_with(g, "Actor", "government") if n.name == "government"]
    assert len(governments) == 2
    for node in governments:
        sources = {
            r.end for r in g.relationships if r.type == "MENTIONED_IN" and r.start == node.key
        }
        assert len(sources) == 1
    assert len({n.id for n in g.nodes if n.label == "Actor"}) == len(
        [n for n in g.nodes if n.label == "Actor"]
    )


def test_single_state_corpus_still_merges_state_less_forms():
    a = extraction(
        "a1",
        "The Syrian regime met. The rebels stayed away.",
        actors=[("Syrian regime", "group"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "Russia said the opposition and the government would attend.",
        actors=[("Russia", "country"), ("opposition", "group"), ("government", "group")],
    )
    c = extraction(
        "a3",
        "The rebels refused, Turkey said.",
        actors=[("rebels", "group"), ("Turkey", "country")],
    )
    g = resolve([a, b, c])
    opposition = node_with(g, "Actor", "rebels")
    assert len(opposition) == 1 and opposition[0].name == "Syrian opposition"
    assert "opposition" in opposition[0].properties["aliases"]
    assert together(g, "Actor", "Syrian regime", "government")


def test_state_written_around_a_state_less_form():
    a = extraction(
        "a1",
        "Talks with Congo's government in Luanda failed; the rebels walked out.",
        actors=[("government", "group"), ("rebels", "group")],
    )
    b = extraction(
        "a2",
        "The rebels said the government in Juba must stop the bombing.",
        actors=[("rebels", "group"), ("government", "group")],
    )
    g = resolve([a, b])
    names = {n.name for n in g.nodes if n.label == "Actor"}
    assert {"Congolese government", "Congolese opposition"} <= names
    assert {"South Sudanese government", "South Sudanese opposition"} <= names
    assert "Angolan government" not in names  # the venue is not the government's state


def test_rebel_movement_and_alliance_join_the_group_their_article_names():
    a = extraction(
        "a1",
        "The main holdout rebel movement stayed away. The Northern Liberation Front (NLF) "
        "said the rebel group would not attend.",
        actors=[
            ("main holdout rebel movement", "group"),
            ("Northern Liberation Front", "organization"),
            ("rebel group", "group"),
        ],
    )
    b = extraction(
        "a2",
        "An ethnic rebel alliance signed. The Three Rivers Alliance said it would comply.",
        actors=[("ethnic rebel alliance", "group"), ("Three Rivers Alliance", "organization")],
    )
    c = extraction(
        "a3",
        "The rebel group left the talks.",
        actors=[("rebel group", "group")],
    )
    g = resolve([a, b, c])
    assert together(
        g, "Actor", "Northern Liberation Front", "main holdout rebel movement", "rebel group"
    )
    assert together(g, "Actor", "Three Rivers Alliance", "ethnic rebel alliance")
    # the third article names no group: its "rebel group" is its own
    assert len(node_with(g, "Actor", "rebel group")) == 2
