"""One root error and one subclass per stage.

Stages raise; only `kg.cli` turns an error into a message and an exit code
(see `EXIT_CODES`), so a library user gets exceptions, never statuses.
"""

from __future__ import annotations


class KgError(Exception):
    """Root of every error kg raises on purpose. Its message is one line
    meant for the user."""

    exit_code = 1


class IngestError(KgError):
    """A file could not be read or understood (the build usually goes on)."""

    exit_code = 3


class ExtractError(KgError):
    """The NLP model could not be loaded or an article could not be read."""

    exit_code = 4


class ResolveError(KgError):
    """Alias rules (for example a user's aliases file) are invalid."""

    exit_code = 5


class StoreError(KgError):
    """The graph store failed while writing or reading."""

    exit_code = 6


class StoreUnavailableError(StoreError):
    """The store could not be reached or opened (down, wrong credentials,
    locked by another build)."""

    exit_code = 7


class QueryError(KgError):
    """A prepared question is unknown, malformed or given bad parameters."""

    exit_code = 8


class EvalError(KgError):
    """A gold file is missing or malformed."""

    exit_code = 9


class StrictModeError(KgError):
    """`--strict` was given and some input files were skipped. Raised after
    everything was loaded; `report` holds the build report."""

    exit_code = 10

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report
