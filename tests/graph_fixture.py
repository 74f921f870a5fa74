"""A small hand-built graph for store and question tests.

Why hand-built: store and question tests must not depend on the NLP stages,
and every row a prepared question returns on it can be checked by reading
this file. The story is invented (fictional states, envoys and towns) so the
tests never lean on the corpus.

The story: the United Nations' envoy Lena Moreau mediates two rounds of the
"Lakeside talks" in Lakeside between the Government of Valdoria and the
Northern Front (which boycotted the first round), while a summit in Port
Arden is only planned. A nationwide ceasefire brokered by Ostrava and the UN
is discussed at the second round; both Valdoria (only accused) and the
Northern Front are said to have violated it. A splinter group with a hostile
name (quotes, backticks, `$`, a newline) backs the Northern Front.
"""

from __future__ import annotations

from kg.model import Graph, Node, Relationship

A1 = "001_lakeside_opens"
A2 = "002_second_round"

#: a name no store may mangle: both quote kinds, a backtick, a dollar and a newline
HOSTILE_NAME = 'The "Free" `Hill` $Men\'s\nBrigade'


def _node(label: str, node_id: str, **props: object) -> Node:
    return Node(label=label, id=node_id, properties={"id": node_id, **props})


def _fact(kind: str, start: str, end: str, sources: list[str], evidence: list[str], **more):
    return Relationship(kind, start, end, {"sources": sources, "evidence": evidence, **more})


def _mention(start: str, article: str, count: int) -> Relationship:
    return Relationship("MENTIONED_IN", start, f"article:{article}", {"count": count})


def articles() -> list[Node]:
    return [
        _node(
            "Article",
            A1,
            name="Talks open in Lakeside",
            path=f"corpus/{A1}.txt",
            sha256="a" * 64,
            url="https://news.example/lakeside-opens",
            published="2019-03-04",
            source="Example Wire",
            word_count=412,
        ),
        _node(
            "Article",
            A2,
            name="Second round ends with truce talk",
            path=f"corpus/{A2}.txt",
            sha256="b" * 64,
            published="2019-04-11",
            source="Example Wire",
            word_count=388,
        ),
    ]


def actors() -> list[Node]:
    return [
        _node(
            "Actor",
            "lena-moreau",
            name="Lena Moreau",
            kind="person",
            aliases=["Lena Moreau", "Moreau"],
            roles=["UN special envoy"],
        ),
        _node(
            "Actor",
            "united-nations",
            name="United Nations",
            kind="organization",
            aliases=["United Nations", "U.N.", "UN"],
        ),
        _node(
            "Actor",
            "valdoria",
            name="Government of Valdoria",
            kind="group",
            aliases=["Government of Valdoria", "Valdorian regime", "Valdoria"],
        ),
        _node(
            "Actor",
            "northern-front",
            name="Northern Front",
            kind="group",
            aliases=["Northern Front", "the rebels"],
            description="armed opposition alliance",
        ),
        _node(
            "Actor",
            "ivan-sorel",
            name="Ivan Sorel",
            kind="person",
            aliases=["Ivan Sorel", "Sorel"],
            roles=["Valdorian foreign minister"],
        ),
        _node("Actor", "ostrava", name="Ostrava", kind="country", aliases=["Ostrava"]),
        _node(
            "Actor",
            "free-hill-brigade",
            name=HOSTILE_NAME,
            kind="group",
            aliases=[HOSTILE_NAME, "Hill Men", "O'Hill $crew"],
        ),
    ]


def places_and_events() -> list[Node]:
    return [
        _node(
            "Venue",
            "lakeside",
            name="Lakeside",
            aliases=["Lakeside", "lake town"],
            country="Valdoria",
        ),
        _node("Venue", "port-arden", name="Port Arden", aliases=["Port Arden"]),
        _node(
            "Meeting",
            "lakeside-1",
            name="Lakeside talks, first round",
            kind="talks",
            status="held",
            start_date="2019-03-04",
            end_date="2019-03-05",
            round=1,
            series="Lakeside talks",
        ),
        _node(
            "Meeting",
            "lakeside-2",
            name="Lakeside talks, second round",
            kind="talks",
            status="held",
            start_date="2019-04-10",
            end_date="2019-04-11",
            round=2,
            series="Lakeside talks",
        ),
        _node(
            "Meeting",
            "port-arden-summit",
            name="Port Arden summit",
            kind="summit",
            status="planned",
            start_date="2019-05-20",
        ),
        _node(
            "Ceasefire",
            "ceasefire-2019-02",
            name="February 2019 nationwide ceasefire",
            status="in_force",
            date="2019-02-27",
            scope="nationwide",
        ),
    ]


E_OPEN = 'Moreau opened the talks in Lakeside, saying "no side can win by force".'
E_BOYCOTT = "The rebels stayed away from the first round."
E_SOREL = "Foreign minister Ivan Sorel led the Valdorian delegation."
E_SECOND = "The Northern Front and the Valdorian regime met again for a second round."
E_TRUCE = "The ceasefire brokered by Ostrava and the U.N. was on the agenda."
E_VIOLATE = "Valdoria was accused of breaking the truce; the rebels admitted shelling."
E_SUMMIT = "A summit is planned in Port Arden in May."
E_HILL = "The Hill Men ($crew) back the Northern Front."


def facts() -> list[Relationship]:
    m1, m2, m3 = "meeting:lakeside-1", "meeting:lakeside-2", "meeting:port-arden-summit"
    cf = "ceasefire:ceasefire-2019-02"
    return [
        _fact("ATTENDED", "actor:lena-moreau", m1, [A1], [E_OPEN]),
        _fact("ATTENDED", "actor:valdoria", m1, [A1], [E_SOREL]),
        _fact("ATTENDED", "actor:ivan-sorel", m1, [A1], [E_SOREL]),
        _fact("ATTENDED", "actor:northern-front", m2, [A2], [E_SECOND]),
        _fact("ATTENDED", "actor:valdoria", m2, [A1, A2], [E_SECOND]),
        _fact("ATTENDED", "actor:lena-moreau", m2, [A2], [E_SECOND]),
        _fact("BOYCOTTED", "actor:northern-front", m1, [A1, A2], [E_BOYCOTT]),
        _fact("MEDIATED", "actor:united-nations", m1, [A1], [E_OPEN]),
        _fact("MEDIATED", "actor:lena-moreau", m2, [A2], [E_SECOND]),
        _fact("HELD_IN", m1, "venue:lakeside", [A1], [E_OPEN]),
        _fact("HELD_IN", m2, "venue:lakeside", [A2], [E_SECOND]),
        _fact("HELD_IN", m3, "venue:port-arden", [A2], [E_SUMMIT]),
        _fact("BROKERED", "actor:ostrava", cf, [A2], [E_TRUCE]),
        _fact("BROKERED", "actor:united-nations", cf, [A2], [E_TRUCE]),
        _fact("VIOLATED", "actor:valdoria", cf, [A2], [E_VIOLATE], alleged=True),
        _fact("VIOLATED", "actor:northern-front", cf, [A2], [E_VIOLATE], alleged=False),
        _fact("DISCUSSED_AT", cf, m2, [A2], [E_TRUCE]),
        _fact("REPRESENTS", "actor:lena-moreau", "actor:united-nations", [A1], [E_OPEN]),
        _fact("REPRESENTS", "actor:ivan-sorel", "actor:valdoria", [A1], [E_SOREL]),
        _fact("SUPPORTS", "actor:ostrava", "actor:valdoria", [A2], [E_TRUCE]),
        _fact("SUPPORTS", "actor:free-hill-brigade", "actor:northern-front", [A2], [E_HILL]),
    ]


def mentions() -> list[Relationship]:
    return [
        _mention("actor:lena-moreau", A1, 3),
        _mention("actor:lena-moreau", A2, 2),
        _mention("actor:united-nations", A1, 1),
        _mention("actor:united-nations", A2, 1),
        _mention("actor:valdoria", A1, 2),
        _mention("actor:valdoria", A2, 3),
        _mention("actor:northern-front", A1, 1),
        _mention("actor:northern-front", A2, 4),
        _mention("actor:ivan-sorel", A1, 1),
        _mention("actor:ostrava", A2, 1),
        _mention("actor:free-hill-brigade", A2, 1),
        _mention("venue:lakeside", A1, 2),
        _mention("venue:lakeside", A2, 1),
        _mention("venue:port-arden", A2, 1),
        _mention("meeting:lakeside-1", A1, 2),
        _mention("meeting:lakeside-2", A2, 2),
        _mention("meeting:port-arden-summit", A2, 1),
        _mention("ceasefire:ceasefire-2019-02", A2, 2),
    ]


def fixture_graph() -> Graph:
    """A fresh copy each call (callers may mutate it)."""
    return Graph(
        nodes=articles() + actors() + places_and_events(),
        relationships=facts() + mentions(),
    )


def small_graph() -> Graph:
    """A strict subset of the fixture: one meeting, two actors, one article."""
    full = fixture_graph()
    keep = {"article:" + A1, "actor:lena-moreau", "actor:united-nations", "meeting:lakeside-1"}
    return Graph(
        nodes=[n for n in full.nodes if n.key in keep],
        relationships=[r for r in full.relationships if r.start in keep and r.end in keep],
    )
