"""The resolve stage: all Extractions -> one Graph with stable ids.

    resolve(extractions, overrides=None) -> Graph
    load_overrides(path) -> AliasOverrides

Modules: `names` (normaliser, keys), `lexicon` + lexicon.yml (states,
bodies, collective wording, titles: data), `analysis` (what one form is),
`cluster` (union-find with cannot-link constraints, reasons), `passes`
(blocking and the merge rules), `events` (meetings, ceasefires), `overrides`
(the user's aliases file), `graph` (nodes, ids, relationships).

Decisions worth knowing:
- A bare surname links to the full name its own article gives; across
  articles it joins the one person of the corpus with that surname. When
  two people share it and its article names neither, it stays its own node
  (kind person, id from the surname) with "ambiguous" near-misses, rather
  than being dropped, so its mentions and facts stay traceable.
- Collective parties: "<state> government/regime/authorities..." is one
  party per state, "<state> opposition/rebels/rebel groups..." another
  (heads and modifiers in lexicon.yml). A form without a state takes the
  state its text writes around it ("Congo's government", "the government
  in Juba"), else the only state its article's collective forms name, else
  the corpus's only one (every article naming a state names it), else it
  stays state-less and scoped to its article: "the rebels" of two conflicts
  never merge. Counting an article's country mentions was measured and
  rejected: mediators and venue hosts (Russia, Kazakhstan in Syria stories)
  outnumber the state at war. "<leader> regime"
  follows the leader's own role ("Syrian President"). A state's forces
  written as a description ("Syrian forces", "the Syrian army") are a third
  family, one party per state, that takes a state from its article but lends
  none; capitalised names ("Sudanese Armed Forces"), militias and named
  factions are never folded in.
- The text's own statements count as evidence: "X, better known as Y"
  (alias cue words in lexicon.yml) joins Y to X, and Y seen alone in another
  article follows; "Long Name (ACR)" defines ACR even with the initials
  reordered (a name translated from another language); a generic party word
  ("the guerrillas", "the army delegation") joins the one group its article
  names for it ("<group> rebels" written together, the one
  "<demonym> ... Armed Forces" organisation, or for "the rebel movement" /
  "the rebel alliance" the one "... Front/Movement" / "... Alliance"); a
  generic word that joins none stays its article's own node. A person introduced as someone's
  relative ("X, a brother of ...") is not the one a later bare surname means.
- Meetings merge on the same round, overlapping dates, or (both undated)
  two reports of a planned meeting; an undated report joins the one dated
  meeting at its venue, of a fitting kind, that its article's publication
  date fits (reported after it was held, announced before it); "The talks
  began on <date>" dates the talks its article reports later. Never across
  two rounds, two series, dates that do not overlap or one article (but for
  the start-date statement). Status: held > cancelled > planned > unknown.
  Ceasefires merge on the same month, the same scope, or (undated) the same
  meeting reported beside them.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from kg.model import Extraction, Graph
from kg.resolve.graph import build_graph
from kg.resolve.names import normalize
from kg.resolve.overrides import AliasOverrides, load_overrides, overrides_from_data

__all__ = [
    "AliasOverrides",
    "load_overrides",
    "normalize",
    "overrides_from_data",
    "resolve",
]


def resolve(extractions: Sequence[Extraction], overrides: AliasOverrides | None = None) -> Graph:
    """Resolve every article's mentions, events and facts into one Graph.

    Deterministic: the same extractions in any order give an identical Graph
    (ids, names, property values and list orders), so re-runs are idempotent
    and ids stay stable for the stores and for `kg explain`.
    """
    # The resolver allocates hundreds of thousands of small acyclic objects;
    # the cyclic garbage collector would rescan them over and over (time
    # growing faster than the input) and can reclaim nothing, so it is paused.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return build_graph(list(extractions), overrides)
    finally:
        if was_enabled:
            gc.enable()
