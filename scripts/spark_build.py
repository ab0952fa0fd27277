"""`kg build --engine spark` for spark-submit: build a graph of news articles on a Spark cluster.

    spark-submit --master spark://HOST:7077 --py-files vnkg.zip scripts/spark_build.py \
        hdfs:///news/2025/ --out build/ --quads hdfs:///vnkg/quads/2025

Inputs are files or folders (local paths, hdfs://, s3a://) of .txt, .html and .jsonl
articles. The per-article N-Quads go to --quads (default OUT/quads); graph.ttl and
report.json are written to --out on the machine running the driver. The master comes
from spark-submit (or --master when run with plain python). See docs/scale.md.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="files or folders of articles (local, hdfs://, s3a://)")
    parser.add_argument("--out", required=True, help="folder for graph.ttl and report.json (driver side)")
    parser.add_argument("--quads", help="where the per-article N-Quads go (default OUT/quads)")
    parser.add_argument("--master", help="Spark master when not run by spark-submit (default local[*])")
    parser.add_argument("--partitions", type=int, help="partitions to spread the articles over")
    parser.add_argument("--base-iri", help="base of resource IRIs")
    parser.add_argument("--validate", action="store_true", help="run the SHACL check whatever the graph's size")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from kg.builder import build_corpus, write_outputs
    from kg.commands import summary
    from kg.errors import VnkgError
    from kg.rdf.iri import DEFAULT_BASE

    out = Path(args.out)
    quads = args.quads or str(out / "quads")
    try:
        result = build_corpus(args.paths, engine="spark", master=args.master, quads=quads,
                              partitions=args.partitions, base=args.base_iri or DEFAULT_BASE,
                              validate=True if args.validate else None)
        if not result.counts()[0]:
            print("spark_build: nothing could be built; no output written", file=sys.stderr)
            return 1
        written = write_outputs(result, out)
        written["quads"] = quads
    except VnkgError as exc:
        print(f"spark_build: {exc}", file=sys.stderr)
        return 2
    print(summary(result, written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
