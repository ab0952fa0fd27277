"""Packaging hook: the wheel carries ontology/, queries/ and each web folder's files and declared assets.

Everything else is declared in pyproject.toml. What goes in is read from the same
declarations the code uses at run time (kg/resources.py, loaded here by path since
nothing is installed yet), so an installed `kg` finds what a checkout finds, and
`pip install` needs no npm. Building a wheel needs `npm ci` run in each web folder
first (`make setup` does it): a declared asset that is missing stops the build.
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _resources():
    spec = importlib.util.spec_from_file_location("_vnkg_resources", ROOT / "kg" / "resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithData(build_py):
    """build_py, then the shipped folders and web files copied into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        resources = _resources()
        package = Path(self.build_lib) / "kg"
        for name in resources.SHIPPED_FOLDERS:
            shutil.copytree(ROOT / name, package / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".*"))
        for web in resources.web_folders():
            target = package / web.relative_to(resources.PACKAGE)
            for path in web.rglob("*"):
                parts = path.relative_to(web).parts
                if path.is_file() and "node_modules" not in parts and not any(p.startswith(".") for p in parts):
                    self._copy(path, target / path.relative_to(web))
            for name, path in resources.web_assets(web).items():
                if not path.is_file():
                    raise SystemExit(f"{path}: the web asset '{name}' declared in {web / 'package.json'} is "
                                     f"missing; run `npm ci` in {web} (`make setup` does it) before building")
                self._copy(path, target / path.relative_to(web))

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


setup(cmdclass={"build_py": BuildWithData})
