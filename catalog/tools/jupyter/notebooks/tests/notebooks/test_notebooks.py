"""The notebooks as Jupyter sees them: valid, committed without outputs, and they run top to bottom."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_valid_and_saved_without_outputs(path: Path) -> None:
    """Outputs and execution counts bloat diffs and can leak data, so they never reach git."""
    notebook = _read(path)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has outputs: run `make strip-notebooks`"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count: run `make strip-notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_nbstripout_would_leave_the_notebook_unchanged(path: Path) -> None:
    """The git filter set by ``nbstripout --install`` must not show a committed notebook as modified."""
    nbstripout = shutil.which("nbstripout", path=str(Path(sys.executable).parent)) or "nbstripout"
    result = subprocess.run([nbstripout, "--verify", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.integration
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom(path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Executed on the python3 kernel of this environment (ipykernel), in the test's empty folder."""
    # Keep Jupyter's connection files and IPython's profile out of the home folder.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(workdir / "jupyter-runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(workdir / "ipython"))
    notebook = _read(path)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells)
    assert not [output for cell in code_cells for output in cell.outputs if output.output_type == "error"]
