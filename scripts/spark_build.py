"""`kg build --engine spark` for spark-submit: build a graph of news articles on a Spark cluster.

    spark-submit --master spark://HOST:7077 --py-files vnkg.zip scripts/spark_build.py \
        hdfs:///news/2025/ --out build/ --quads hdfs:///vnkg/quads/2025

The options are `kg build`'s (`kg build --help`), with the Spark engine chosen: inputs
are files or folders (local paths, hdfs://, s3a://) of .txt, .html and .jsonl articles;
the per-article N-Quads go to --quads (default OUT/quads); graph.ttl, report.json and
graph.html are written to --out on the machine running the driver. The master comes
from spark-submit (or --master when run with plain python). See docs/scale.md.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from kg.cli import main as kg

    return kg(["build", *(sys.argv[1:] if argv is None else argv), "--engine", "spark"])


if __name__ == "__main__":
    sys.exit(main())
