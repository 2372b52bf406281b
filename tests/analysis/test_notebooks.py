"""The notebooks of analysis/notebooks as committed (clean, valid, only the analysis imports) and
their runner's failure report. `make notebooks` executes them (make check)."""
import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "analysis/notebooks"
RUNNER = FOLDER / "run_notebooks.py"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
ALLOWED_IMPORTS = {"partsim", "pandas", "numpy", "matplotlib", "os", "pathlib"}


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["explore-partition-points.ipynb",
                                           "multi-camera-run.ipynb",
                                           "sweep-link-rate-cameras.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_committed_notebook_is_valid_v4_without_outputs(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and any(c.cell_type == "markdown" for c in nb.cells)
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs"
            assert cell.execution_count is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_imports_only_partsim_pandas_numpy_matplotlib_os_pathlib(path):
    nb = nbformat.read(path, as_version=4)
    imported = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))   # IPython magics
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module.split(".")[0])
    assert "partsim" in imported
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


def test_the_runner_names_the_notebook_and_cell_that_raised_and_one_without_figures(
        tmp_path, partsim):
    v4 = nbformat.v4
    raises = v4.new_notebook(cells=[v4.new_markdown_cell("# raises"), v4.new_code_cell("x = 1"),
                                    v4.new_code_cell("raise ValueError('boom')")])
    no_figure = v4.new_notebook(cells=[v4.new_code_cell("print('no figure here')")])
    nbformat.write(raises, tmp_path / "raises.ipynb")
    nbformat.write(no_figure, tmp_path / "quiet.ipynb")
    proc = subprocess.run([sys.executable, str(RUNNER), "--partsim", str(partsim.binary),
                           "--out", str(tmp_path / "out"), "--notebooks",
                           str(tmp_path / "raises.ipynb"), str(tmp_path / "quiet.ipynb")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "raises.ipynb: cell 3 raised ValueError: boom" in proc.stderr
    assert "quiet.ipynb: no cell showed a figure" in proc.stderr
    assert "0 of 2 notebook(s) ran" in proc.stdout
    assert (tmp_path / "out/raises.ipynb").exists()     # the executed part, to look at


def test_every_input_the_runner_writes_is_read_by_a_notebook():
    sys.path.insert(0, str(FOLDER))
    import run_notebooks
    sources = "\n".join(c.source for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells)
    for name in run_notebooks.INPUTS:
        assert f'DATA / "{name}"' in sources, name
