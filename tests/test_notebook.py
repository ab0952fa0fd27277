"""examples/quickstart.ipynb runs from top to bottom as a user would run it, in a real Jupyter kernel."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "examples" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def executed():
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    kernel = KernelManager(kernel_name="python3", transport="ipc")  # no TCP port at all, not even on loopback
    NotebookClient(notebook, km=kernel, timeout=300, resources={"metadata": {"path": str(REPO)}}).execute()
    return notebook


def outputs(cell) -> str:
    texts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            texts.append(out["text"])
        elif "data" in out:
            texts.append(out["data"].get("text/plain", ""))
    return "\n".join(texts)


def test_every_cell_runs_without_an_error(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code)
    assert not [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_the_notebook_builds_queries_draws_and_exports(executed):
    text = "\n".join(outputs(c) for c in executed.cells if c.cell_type == "code")
    assert "articles; 0 could not be built" in text
    assert "Phạm Minh Chính" in text or "Lương Cường" in text, "the query tables name people"
    assert "graph.html" in text
    assert "nodes_Person.csv" in text or "nodes_" in text
