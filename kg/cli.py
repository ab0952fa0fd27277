"""The `kg` command: parse arguments, call one library function, print a summary.

No extraction logic lives here. Each command family registers itself through a
`register(subparsers)` function in its own module, listed in COMMAND_MODULES.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import os
import sys
import threading

# Modules that add sub-commands; each exposes `register(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = (
    "kg.commands",
    "kg.export.cli",
    "kg.serve.cli",
    "kg.viz.cli",
)


def version() -> str:
    """The installed distribution's version, or the package's own when run from a checkout."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    import kg

    try:
        return installed("vnkg")
    except PackageNotFoundError:
        return kg.__version__


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build and use knowledge graphs of Vietnamese news.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    parser.add_argument("--version", action="version", version=f"%(prog)s (vnkg) {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    from kg.errors import VnkgError

    try:
        return int(args.func(args) or 0)
    except VnkgError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted; outputs already written are complete, nothing half-written was kept",
              file=sys.stderr)
        return 130


def run() -> None:
    """The `kg` program: `main`, then a quick exit.

    Once a command has returned, everything it wrote is closed. The exit handlers of the
    libraries still run (logging's flush, the removal of temporary folders, worker pools);
    then the process leaves without tearing the interpreter down object by object, which
    (spaCy, underthesea and the loaded pipeline freed piece by piece) took a fifth of a
    one-article build. If a thread of a command is still running, a profiler or debugger
    watches the process (it reports at the ordinary exit), or this Python cannot run its
    exit handlers early, the exit is the ordinary one.
    """
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if run_exit_handlers is None or others or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except OSError:  # a closed pipe: what Python's own exit reports as 120
            code = code or 120
    run_exit_handlers()
    os._exit(code)


if __name__ == "__main__":
    run()
