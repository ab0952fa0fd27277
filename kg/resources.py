"""Where vnkg's shipped files are: the ontology folder, the example queries and the web assets.

The same code runs from a checkout (ontology/ and queries/ beside kg/, web assets in
each web folder's node_modules after `npm ci`) and from an installed wheel (ontology/
and queries/ copied inside the package, the declared web assets at the same place
under the web folder, so no npm is needed). Packaging reads the same declarations
(setup.py loads this file by path), so what the pages use and what the wheel carries
cannot drift apart.

Only the standard library here: packaging imports this module before anything is installed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The `kg` package folder."""

SHIPPED_FOLDERS = ("ontology", "queries")
"""Folders of the checkout that the wheel carries inside the package."""

ASSETS_KEY = "vnkgAssets"
"""The key of a web folder's package.json that lists its assets: {name: path in the folder}."""


def shipped_dir(name: str) -> Path:
    """The folder `name` (ontology, queries): inside the installed package, else beside it in the checkout."""
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder holding vnkg.ttl, shapes.ttl, gazetteers and rules (override: $VNKG_ONTOLOGY_DIR)."""
    override = os.environ.get("VNKG_ONTOLOGY_DIR")
    if override:
        return Path(override).expanduser().resolve()
    return shipped_dir("ontology")


def queries_dir() -> Path:
    """The folder of the example SPARQL queries (queries/*.rq)."""
    return shipped_dir("queries")


def web_folders() -> list[Path]:
    """Every web folder of the package: a folder named `web` holding a package.json."""
    return sorted(p.parent for p in PACKAGE.glob("*/web/package.json"))


def declared_assets(web: str | os.PathLike) -> dict[str, str]:
    """The assets a web folder declares in its package.json: name -> path relative to the folder."""
    manifest = Path(web) / "package.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assets = data.get(ASSETS_KEY, {})
    if not isinstance(assets, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in assets.items()):
        raise ValueError(f"{manifest}: '{ASSETS_KEY}' must map asset names to paths in the folder")
    for name, path in assets.items():
        parts = Path(path).parts
        if Path(path).is_absolute() or ".." in parts:
            raise ValueError(f"{manifest}: asset {name!r} must be a path inside the folder, not {path!r}")
    return assets


def web_assets(web: str | os.PathLike) -> dict[str, Path]:
    """The declared assets of a web folder as paths (they exist once `npm ci` ran, or in a wheel)."""
    web = Path(web)
    return {name: web / path for name, path in declared_assets(web).items()}
