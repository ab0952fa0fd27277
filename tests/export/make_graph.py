"""Write a generated graph in the shape `kg build` writes, for measuring the exporters and loaders.

    .venv/bin/python tests/export/make_graph.py --persons 20000 --out /tmp/bench/graph.ttl

The generator is the one the export tests use (conftest.generate_graph).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import generate_graph  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate_graph(args.persons, args.countries, args.articles, args.seed), encoding="utf-8")
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
