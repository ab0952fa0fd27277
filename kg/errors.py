"""The errors vnkg raises: each message names the file (or article) and what to do.

A batch never stops on one of these; `kg build` reports them per file and goes on.
"""
from __future__ import annotations


class VnkgError(Exception):
    """Base class for every error vnkg raises on purpose."""


def printable_path(path) -> str:
    """A path as text that can be printed and written as UTF-8: the bytes of a file name that are not
    UTF-8 (which Python keeps as lone surrogates) become U+FFFD."""
    text = str(path)
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


class InputError(VnkgError):
    """An input file (or one record in it) cannot be read as an article."""

    def __init__(self, path: str, problem: str, *, line: int | None = None, hint: str | None = None):
        self.path = printable_path(path)
        self.line = line
        self.problem = problem
        self.hint = hint
        where = f"{self.path}:{line}" if line is not None else self.path
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    @property
    def kind(self) -> str:
        return type(self).__name__


class EmptyInputError(InputError):
    """The file (or record) holds no text."""


class BinaryInputError(InputError):
    """The file is not text at all (an image, a PDF, an archive...)."""


class EncodingProblem(InputError):
    """The bytes are text in no encoding vnkg could identify."""


class TooLargeError(InputError):
    """The file is far too large to be one news article."""


class TooSlowError(InputError):
    """The article took longer to analyse than one article may take (the per-article time limit)."""


class MalformedRecordError(InputError):
    """A JSONL line is not a JSON object with a `text` field."""


class UnsupportedInputError(InputError):
    """The path does not exist or has a kind of file vnkg does not read."""


class DataFileError(VnkgError):
    """A gazetteer or rule file shipped in ontology/ is broken."""

    def __init__(self, path: str, problem: str, *, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem} (fix the data file; every line is a JSON object with an 'id')")


class NothingBuiltError(VnkgError):
    """No input could be turned into an article."""


class ArgumentError(VnkgError, ValueError):
    """A value given to the Python API (kg.build, kg.extract) cannot be used; the message says what is expected."""


class BuildLockedError(VnkgError):
    """Another build is writing to the same output folder."""


class MissingDependencyError(VnkgError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, feature: str):
        super().__init__(f"{feature} needs the Python package '{package}': .venv/bin/pip install {package}")


class OntologyError(VnkgError):
    """ontology/vnkg.ttl or ontology/shapes.ttl is missing or is not valid Turtle."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem} (restore the file, or set VNKG_ONTOLOGY_DIR to the folder "
                         "holding vnkg.ttl and shapes.ttl)")


class GraphSourceError(VnkgError):
    """A graph file, folder or store to serve or query cannot be read."""


class QuerySyntaxError(VnkgError):
    """A SPARQL query (or update) does not parse; the message is the parser's."""


class QueryRefusedError(VnkgError):
    """A SPARQL request asks for something the endpoint does not do (update, SERVICE, LOAD)."""


class ServeConfigError(VnkgError):
    """`kg serve` options that cannot work together (e.g. --allow-update without a token)."""


class ViewError(VnkgError):
    """A graph cannot be drawn as asked: no graph file, an unknown --focus, a bad date, viewer files not installed."""


class GraphFileError(VnkgError):
    """A graph given to `kg export` or `kg load` is missing or is not readable RDF."""

    def __init__(self, path: str, problem: str, *, hint: str | None = None):
        self.path = str(path)
        message = f"{self.path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class StoreError(VnkgError):
    """A graph database or SPARQL endpoint failed a request; the message names it and says what to do."""

    def __init__(self, where: str, problem: str, *, hint: str | None = None):
        self.where = where
        self.problem = problem
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class StoreUnreachableError(StoreError):
    """Nothing answers at the address (connection refused, unknown host, time-out)."""


class StoreAuthError(StoreError):
    """The store refused the credentials (401) or the user's rights (403, missing privileges)."""


class CacheError(VnkgError):
    """The article cache of `kg build` cannot be opened or written."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem} (delete the folder, choose another with --cache-dir, or pass --no-cache)")


class EngineError(VnkgError):
    """A build engine (worker processes, Spark) cannot run as asked; the message says what to install or set."""


class OutputPathError(VnkgError):
    """An output (a build's or an export's) cannot be written where it was asked to go: not a folder,
    no permission, a full disk. The message names the path."""

    def __init__(self, path: str, problem: str, *, hint: str | None = None):
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))
