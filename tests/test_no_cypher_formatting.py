"""Every value reaches Cypher as a parameter: a scan of the package source.

Cypher may be assembled by string formatting only from the contract's fixed
vocabulary (labels and relationship types checked against `kg.model`) and
from the stores' own schema constants. This test reads every module of the
package and fails on any f-string, `str.format` or `%` formatting of a
Cypher statement that interpolates something else, so that a value from an
article can never become Cypher text. A new interpolation needs a reviewed
entry in ALLOWED below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
CYPHER_WORDS = re.compile(
    r"\b(MATCH|MERGE|CREATE|UNWIND|DELETE|DETACH|RETURN|COPY|SET|CALL|LOAD CSV)\b"
)

# Interpolated expressions allowed inside Cypher f-strings, as source text.
# Each is derived from kg.model's fixed tuples or the store's schema constants.
ALLOWED = {
    "_label(label)",  # neo4j: checked against NODE_LABELS
    "_label(start)",
    "_label(end)",
    "_rel_type(rel_type)",  # neo4j: checked against RELATIONSHIP_TYPES
    "label",  # loops over NODE_LABELS
    "rel_type",  # loops over RELATIONSHIP_TYPES
    "table",  # a label or relationship type (validated in the store)
    "cols",  # schema column DDL from the store's constant column lists
    "ends",  # FROM/TO pairs from RELATIONSHIP_ENDS
    "EXTRA",  # the store's constant overflow column name
    "body",  # the COPY subquery, itself built only from what is listed here
    "options",  # constant COPY options
    "first",  # a generated parameter name "c0"
    "', '.join(exprs)",  # expressions over generated parameter references
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _literal_text(node: ast.JoinedStr) -> str:
    return "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def _offences(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and CYPHER_WORDS.search(_literal_text(node)):
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    expr = ast.get_source_segment(source, value.value)
                    if expr not in ALLOWED:
                        found.append(f"{path.name}:{node.lineno}: interpolates {expr!r}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
            and CYPHER_WORDS.search(node.func.value.value)
        ):
            found.append(f"{path.name}:{node.lineno}: str.format on Cypher")
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and CYPHER_WORDS.search(node.left.value)
        ):
            found.append(f"{path.name}:{node.lineno}: % formatting on Cypher")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_cypher_is_never_formatted_from_data(path):
    assert _offences(path) == []


def test_the_scan_catches_formatting_from_data(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(name):\n"
        "    a = f\"MATCH (n {{name: '{name.upper()}'}}) RETURN n\"\n"
        "    b = 'MATCH (n) WHERE n.id = %s RETURN n' % name\n"
        "    c = 'MERGE (n {{id: {}}})'.format(name)\n"
        "    return a, b, c\n"
    )
    offences = _offences(bad)
    assert len(offences) == 3, offences
