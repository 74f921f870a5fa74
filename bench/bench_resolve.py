"""Benchmark of the resolve stage on synthetic mentions.

    python bench/bench_resolve.py                 # 100,000 and 200,000 mentions
    python bench/bench_resolve.py --repeat 3      # fastest of three runs per size
    python bench/bench_resolve.py --mentions 20000 --no-double

Each size runs in a fresh subprocess so the peak RSS (resource.getrusage)
belongs to that size alone; the time is the wall (and CPU) time of
`resolve()` only (generating the input is excluded). CPU time is reported
too because wall time on a shared machine varies with the other jobs.

The input is news-like noise over several thousand distinct names: people
written in full, with and without particles ("al-"), with transliteration
variants (y/i, ie/ye), titles, possessives, initials and bare surnames;
organisations with acronyms defined in the text; states in short, long,
dotted and demonym forms; collective parties; venues; a meeting and facts
per article. Traps: many people share first names, fathers and sons share
surnames, and bare surnames of shared family names appear in articles
without the full name.

Also reported: merge errors (a node holding full names of two different
synthetic people) and splits (one person's full names spread over nodes).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.model import Article, Event, Extraction, Fact, Mention  # noqa: E402
from kg.resolve import resolve  # noqa: E402

SYLLABLES = [
    "ba",
    "sha",
    "ra",
    "ja",
    "fa",
    "ri",
    "lav",
    "rov",
    "ser",
    "gey",
    "mir",
    "zar",
    "if",
    "ka",
    "mal",
    "di",
    "nov",
    "ale",
    "xan",
    "der",
    "naum",
    "kin",
    "ha",
    "fez",
    "mus",
    "ta",
    "fa",
    "ol",
    "ga",
    "ev",
    "an",
    "to",
    "ni",
    "os",
    "el",
    "ma",
    "dr",
    "ko",
    "vich",
    "en",
    "ko",
    "ber",
    "tin",
    "sa",
    "lem",
    "yu",
    "ri",
    "pa",
    "vel",
    "ti",
    "mu",
    "ra",
    "de",
    "lo",
]
STATES = [
    ("Russia", ["Russian Federation", "the Russians"]),
    ("United States", ["U.S.", "US", "America", "Americans"]),
    ("United Kingdom", ["UK", "Britain", "U.K."]),
    ("Iran", ["Islamic Republic of Iran", "Iranians"]),
    ("Turkey", ["Turks", "Turkiye"]),
    ("Saudi Arabia", ["Saudis"]),
    ("France", ["French Republic"]),
    ("Syria", ["Syrian Arab Republic"]),
    ("Kazakhstan", []),
    ("Germany", ["Germans"]),
]
BODIES = [
    "UN",
    "U.N.",
    "United Nations",
    "EU",
    "European Union",
    "NATO",
    "Arab League",
    "ICRC",
    "Red Cross",
    "OPEC",
]
PARTIES = [
    "rebels",
    "the opposition",
    "armed rebel groups",
    "Syrian government",
    "Syrian regime",
    "government delegation",
    "opposition delegates",
]
TITLES = ["President", "Foreign Minister", "Mr", "Dr", "envoy", "Russian envoy"]
ORG_HEADS = ["Council", "Institute", "Front", "Movement", "Commission", "Coalition", "Union"]


def _word(rnd: random.Random, parts: int) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(parts)).capitalize()


@dataclass
class World:
    people: list[tuple[str, str]]  # (first, last)
    orgs: list[tuple[str, str]]  # (long form, acronym)
    venues: list[str]


def make_world(seed: int, n_people: int, n_orgs: int, n_venues: int) -> World:
    rnd = random.Random(seed)
    firsts = sorted({_word(rnd, 2) for _ in range(n_people // 12)})
    lasts = sorted({_word(rnd, rnd.choice((2, 3))) for _ in range(n_people // 2)})
    people: set[tuple[str, str]] = set()
    while len(people) < n_people:
        people.add((rnd.choice(firsts), rnd.choice(lasts)))
    orgs: dict[str, str] = {}
    while len(orgs) < n_orgs:
        words = [_word(rnd, 2), _word(rnd, 2), rnd.choice(ORG_HEADS)]
        long = " ".join(words)
        orgs.setdefault("".join(w[0] for w in words).upper() + _word(rnd, 1)[:1].upper(), long)
    venues = sorted({_word(rnd, 3) for _ in range(n_venues)})
    return World(sorted(people), sorted((v, k) for k, v in orgs.items()), venues)


def _variant(rnd: random.Random, first: str, last: str) -> str:
    """A written form of a full name: particles, transliteration, titles."""
    roll = rnd.random()
    if roll < 0.15:
        return f"{first} al-{last}"
    if roll < 0.3:
        return f"{first.replace('y', 'i').replace('ey', 'ei')} {last.replace('ie', 'ye')}"
    if roll < 0.4:
        return f"{rnd.choice(TITLES)} {first} {last}"
    if roll < 0.45:
        return f"{first} {last}'s"
    return f"{first} {last}"


class ArticleBuilder:
    """Writes a text and the mentions pointing into it."""

    def __init__(self, aid: str) -> None:
        self.aid = aid
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[Mention] = []

    def say(self, surface: str, kind: str | None, label: str = "Actor", tail: str = "") -> str:
        start = self.length
        sentence = f"{surface}{tail} said the talks would go on."
        self.parts.append(sentence)
        self.length += len(sentence) + 1
        key = f"m{len(self.mentions)}"
        self.mentions.append(
            Mention(key, label, surface, start, start + len(surface), sentence, kind=kind)
        )
        return key

    def extraction(self, events: list[Event], facts: list[Fact]) -> Extraction:
        text = " ".join(self.parts)
        article = Article(self.aid, f"Article {self.aid}", f"{self.aid}.txt", self.aid, text)
        return Extraction(article, self.mentions, events, facts)


def make_extractions(world: World, n_mentions: int, seed: int) -> list[Extraction]:
    rnd = random.Random(seed)
    out: list[Extraction] = []
    total = 0
    while total < n_mentions:
        b = ArticleBuilder(f"art{len(out):06d}")
        person_keys = []
        for first, last in rnd.sample(world.people, 5):
            person_keys.append(b.say(_variant(rnd, first, last), "person"))
            for _ in range(rnd.randint(1, 3)):
                b.say(
                    rnd.choice((last, last, f"{first[0]}. {last}")),
                    rnd.choice(("person", "organization")),
                )
        for long, acronym in rnd.sample(world.orgs, 2):
            b.say(long, "organization", tail=f" ({acronym})")
            b.say(acronym, "organization")
        for name, forms in rnd.sample(STATES, 3):
            b.say(rnd.choice([name, *forms]), "country")
        b.say(rnd.choice(BODIES), "organization")
        b.say(rnd.choice(PARTIES), "group")
        if rnd.random() < 0.3:  # a bare family name without its full form: ambiguous
            b.say(rnd.choice(world.people)[1], "person")
        venue = rnd.choice(world.venues)
        venue_key = b.say(venue, None, label="Venue")
        series = f"{venue} talks"
        meeting = Event(
            "e1",
            "Meeting",
            f"{series} round",
            "x",
            kind="talks",
            status="held",
            round=rnd.randint(1, 3),
            series=series,
            venue_key=venue_key,
        )
        facts = [Fact("ATTENDED", k, "e1", "They attended.") for k in person_keys[:3]]
        out.append(b.extraction([meeting], facts))
        total += len(b.mentions)
    return out


def quality(graph, world: World) -> dict:
    owner: dict[str, int] = {}
    for i, (first, last) in enumerate(world.people):
        for form in (f"{first} {last}", f"{first} al-{last}"):
            owner[form] = i
    merges = splits = 0
    nodes_of: dict[int, set[str]] = {}
    for node in graph.nodes:
        if node.label != "Actor":
            continue
        people = {owner[a] for a in node.properties["aliases"] if a in owner}
        merges += len(people) > 1
        for p in people:
            nodes_of.setdefault(p, set()).add(node.id)
    splits = sum(1 for ids in nodes_of.values() if len(ids) > 1)
    return {"nodes_with_two_people": merges, "people_split": splits}


def run_one(n_mentions: int, seed: int) -> dict:
    world = make_world(seed, n_people=4000, n_orgs=800, n_venues=300)
    extractions = make_extractions(world, n_mentions, seed + 1)
    mentions = sum(len(x.mentions) for x in extractions)
    rss_input_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu_start = time.perf_counter(), time.process_time()
    graph = resolve(extractions)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mentions": mentions,
        "articles": len(extractions),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "peak_rss_mb": round(rss_mb, 1),
        "rss_before_resolve_mb": round(rss_input_mb, 1),
        "nodes": len(graph.nodes),
        "relationships": len(graph.relationships),
        "reasons": len(graph.reasons),
        **quality(graph, world),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-double", action="store_true", help="skip the 2N run")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the fastest is reported"
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.mentions, args.seed)))
        return
    sizes = [args.mentions] if args.no_double else [args.mentions, 2 * args.mentions]
    results = []
    for size in sizes:
        cmd = [sys.executable, __file__, "--one", "--mentions", str(size), "--seed", str(args.seed)]
        runs = []
        for _ in range(max(1, args.repeat)):
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs.append(json.loads(done.stdout))
        best = min(runs, key=lambda r: r["seconds"])
        best["all_seconds"] = [r["seconds"] for r in runs]
        results.append(best)
        print(json.dumps(best))
    if len(results) == 2:
        ratio = results[1]["seconds"] / max(results[0]["seconds"], 1e-9)
        cpu = results[1]["cpu_seconds"] / max(results[0]["cpu_seconds"], 1e-9)
        print(json.dumps({"time_ratio_2N_over_N": round(ratio, 2), "cpu_ratio": round(cpu, 2)}))


if __name__ == "__main__":
    main()
