"""The `kg` command line: parse options, call the library, print, map errors.

Nothing here knows how a stage works. Every failure kg means to report is a
`KgError`; `main()` turns it into one line on stderr and the error class's
exit code (see `kg.errors`), with the traceback only under `--debug`.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.errors import KgError, StrictModeError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def say(console: Console, text: str) -> None:
    """Print one message as exactly one line (control characters escaped).

    File names and error texts come from the user's data: without this, rich
    would wrap a long line at the terminal width, turn `:smile:` into an
    emoji, and a newline in a file name would split the message."""
    console.print(text.translate(_CONTROL), markup=False, emoji=False, soft_wrap=True)


DB_HELP = (
    "Where the graph lives: a folder path for the embedded LadybugDB store "
    "(default .kg/graph.lbdb), or a bolt:// or neo4j:// URI for Neo4j "
    "(credentials from NEO4J_USERNAME / NEO4J_PASSWORD, database from "
    "NEO4J_DATABASE). NEO4J_URI stands for --db when it is set."
)


def db_option(func):
    return click.option("--db", "target", metavar="TARGET", envvar=None, help=DB_HELP)(func)


class KgGroup(click.Group):
    """The one place a `KgError` becomes a one-line message and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            if ctx.params.get("debug"):
                # the traceback, then the same line and exit status as without --debug
                traceback.print_exc(file=sys.stderr)
            say(err, f"kg: error: {exc}")
            ctx.exit(exc.exit_code)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """kg builds a knowledge graph of peace diplomacy from news articles.

    It extracts actors, meetings, ceasefires and venues with the evidence
    sentence behind every fact, resolves aliases across articles, and loads
    the graph into an embedded LadybugDB store or into Neo4j.

    \b
    Typical session:
      kg build corpus/              # ingest, extract, resolve, load
      kg ask                        # list the prepared questions
      kg ask attendance             # run one
      kg explain Lavrov             # why these aliases were merged
      kg eval tests/gold/corpus.json
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# -- build ---------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option(
    "--workers",
    "-w",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes for extraction (each loads the spaCy model once).",
)
@click.option(
    "--rebuild", is_flag=True, help="Start from an empty graph instead of updating the stored one."
)
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file forcing or forbidding merges (default: kg-aliases.yml "
    "beside the corpus when present).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit non-zero (after loading everything) when any file was skipped.",
)
@click.option("--no-cache", is_flag=True, help="Ignore the extraction cache in .kg/cache.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def build(paths, target, workers, rebuild, aliases, strict, no_cache, as_json) -> None:
    """Read articles under PATHS and load their graph into the store.

    Files and folders are read recursively (.txt, .md, .html, .json, .jsonl).
    Re-running on an unchanged corpus does no extraction work and leaves the
    graph identical; a changed article replaces its facts and a deleted one
    is retracted. Bad files are reported one line each and skipped.
    """
    from kg.pipeline import BuildOptions
    from kg.pipeline import build as run_build

    options = BuildOptions(
        paths=list(paths),
        target=target,
        workers=workers,
        rebuild=rebuild,
        aliases=aliases,
        strict=strict,
        use_cache=not no_cache,
    )
    strict_error = None
    with _progress(disabled=as_json) as progress_callback:
        try:
            report = run_build(options, progress=progress_callback)
        except StrictModeError as exc:
            strict_error = exc
            report = exc.report
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_build_report(report)
    if strict_error:
        raise strict_error


class _progress:
    """A rich progress bar fed by the pipeline's (stage, done, total) callback."""

    def __init__(self, disabled: bool) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=disabled or not err.is_terminal,  # no bar residue in logs and pipes
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self.bar.stop()


def _print_build_report(report) -> None:
    from kg.store import display_target

    for skipped in report.skipped:
        say(err, f"skipped {skipped.path}: {skipped.reason}")
    for warning in report.warnings:
        say(err, f"warning: {warning}")
    say(
        out,
        f"Built {display_target(report.target)}: {report.articles} articles "
        f"({report.extracted} extracted, {report.from_cache} from cache, "
        f"{report.kept_from_earlier} kept from earlier builds), "
        f"{len(report.skipped)} files skipped, {len(report.retracted)} retracted.",
    )
    out.print(_counts_table(report.node_counts, report.relationship_counts))


def _counts_table(nodes: dict[str, int], rels: dict[str, int]) -> Table:
    table = Table(title="Graph")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, count in sorted(nodes.items()):
        table.add_row("node", label, str(count))
    for rel_type, count in sorted(rels.items()):
        table.add_row("relationship", rel_type, str(count))
    return table


# -- stats / export ------------------------------------------------------------------


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(target, as_json) -> None:
    """Count nodes per label and relationships per type in the store."""
    from kg.store import open_store

    with open_store(target, read_only=True) as store:
        nodes, rels = store.counts()
    if as_json:
        click.echo(json.dumps({"nodes": nodes, "relationships": rels}, indent=2))
    else:
        out.print(_counts_table(nodes, rels))


@cli.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
def export(target, output) -> None:
    """Write the graph as JSON Lines in the shape of APOC's apoc.export.json."""
    from kg.export import write_export
    from kg.store import open_store

    with open_store(target, read_only=True) as store:
        graph = store.read_graph()
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            lines = write_export(graph, handle)
        say(err, f"wrote {lines} lines to {output}")
    else:
        write_export(graph, sys.stdout)


# -- ask -----------------------------------------------------------------------------


@cli.command()
@click.argument("name", required=False)
@db_option
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A question parameter (repeatable), e.g. -p actor=Lavrov.",
)
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON.")
def ask(name, target, params, as_json) -> None:
    """Run a prepared question from cypher/questions/ (list them without NAME)."""
    from kg.ask import list_questions, parse_params, run_question
    from kg.store import open_store

    if not name:
        questions = list_questions()
        if as_json:
            click.echo(json.dumps([_question_dict(q) for q in questions], indent=2))
            return
        table = Table(title="Prepared questions (kg ask NAME -p key=value)")
        table.add_column("name")
        table.add_column("answers")
        table.add_column("parameters")
        for q in questions:
            table.add_row(q.name, q.title, ", ".join(_param_names(q)))
        out.print(table)
        return
    with open_store(target, read_only=True) as store:
        rows = run_question(store, name, parse_params(list(params)))
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    else:
        out.print(_rows_table(name, rows))


def _question_dict(question) -> dict:
    return {
        "name": question.name,
        "title": question.title,
        "answers": question.answers,
        "params": _param_names(question),
        "example": question.example,
    }


def _param_names(question) -> list[str]:
    params = question.params
    return list(params.keys()) if isinstance(params, dict) else [str(p) for p in params]


def _rows_table(title: str, rows: list[dict]) -> Table:
    table = Table(title=f"{title} ({len(rows)} rows)")
    columns = list(rows[0].keys()) if rows else []
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not str: a str cell is parsed as rich markup ("[/b]" in a name crashes)
        table.add_row(*(Text(_cell(row.get(c))) for c in columns))
    return table


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name", value))
    return str(value)


# -- eval / explain ------------------------------------------------------------------


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the figures as JSON to this file ('-' for stdout).",
)
def eval_command(gold, target, json_path) -> None:
    """Score the stored graph against a GOLD file (see GRAPH_CONTRACT.md)."""
    from kg.evaluate import evaluate, load_gold, render_report
    from kg.store import open_store

    gold_data = load_gold(gold)
    with open_store(target, read_only=True) as store:
        graph = store.read_graph()
    report = evaluate(graph, gold_data)
    if json_path == "-":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    rendered = render_report(report)
    for table in rendered if isinstance(rendered, list) else [rendered]:
        out.print(table)
    if json_path:
        Path(json_path).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


@cli.command()
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(name, target, as_json) -> None:
    """Show the cluster NAME ended in: its members, why they were merged, and
    the near-misses that were kept apart."""
    from kg.explain import explain as run_explain
    from kg.explain import explanation_to_dict, render_explanation
    from kg.pipeline import load_reasons
    from kg.store import open_store

    with open_store(target, read_only=True) as store:
        graph = store.read_graph()
    graph.reasons = load_reasons(target)
    explanation = run_explain(graph, name)
    if as_json:
        click.echo(json.dumps(explanation_to_dict(explanation), indent=2, ensure_ascii=False))
    else:
        out.print(render_explanation(explanation))


# -- entry point ---------------------------------------------------------------------


def main() -> None:
    """Console entry point (`kg`)."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
