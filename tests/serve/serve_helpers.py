"""Helpers for the endpoint tests: plain HTTP requests and the serve commands' entry point."""
from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SMALL_GRAPH = Path(__file__).resolve().parents[1] / "data" / "graph_small.ttl"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


def http(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30) -> Response:
    """One plain urllib request; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return Response(reply.status, dict(reply.headers), reply.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, dict(exc.headers), exc.read())


def query_url(base: str, query: str, **params: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query, **params})


def kg_main(argv: list[str]) -> int:
    """`kg ...` for the serve commands, handled like kg.cli.main handles them."""
    from kg.errors import VnkgError
    from kg.serve import cli

    parser = argparse.ArgumentParser(prog="kg")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except VnkgError as exc:
        import sys

        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 2
