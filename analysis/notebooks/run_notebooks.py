#!/usr/bin/python3
"""Runs the analysis notebooks on fresh inputs: `make notebooks`.

    /usr/bin/python3 analysis/notebooks/run_notebooks.py --partsim build/partsim --out build/notebooks

First writes the notebooks' input files with the given partsim into OUT/data (short runs: a
second or so on 2 cores), then executes every notebook with nbclient (kernel python3, cwd the
notebook's folder, PYTHONPATH with analysis/, PARTSIM_NOTEBOOK_DATA=OUT/data) and saves the
executed notebook as OUT/<stem>.ipynb and every PNG a cell shows as OUT/<stem>/<cell>-<n>.png
(cell: the cell's position in the notebook, n: the image's within the cell, both from 1).
Prints one line per notebook; exits 1, naming the notebook, the cell and its error, when a
notebook raises or shows no figure. `--notebooks A.ipynb ...` runs those instead of the three.
Needs Debian's python3-nbclient, python3-ipykernel, python3-matplotlib, python3-pandas and
python3-h5py (scripts/install-deps.sh).
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLES = REPO / "platforms/examples"
NOTEBOOKS = ["multi-camera-run.ipynb", "sweep-link-rate-cameras.ipynb",
             "explore-partition-points.ipynb"]

# The input files, by the name the notebooks look for in PARTSIM_NOTEBOOK_DATA, and the partsim
# arguments that write them (each notebook's first cell shows the same command).
INPUTS = {
    "adas-8cam.h5": ["run", EXAMPLES / "adas-8cam.yaml", "--set", "duration=3 s", "--quiet"],
    "adas-sweep.h5": ["sweep", EXAMPLES / "adas-8cam.yaml", "--set", "duration=2 s",
                      "--set", "network.links.0.type={preset: 1000BASE-T}",
                      "--vary", "network.links.0.type.rate=40Mbps,50Mbps,100Mbps,200Mbps",
                      "--vary", "nodes.0.count=4,8,12", "--keep-runs", "--quiet"],
    "kress-chain-explore.h5": ["explore", EXAMPLES / "kress-chain.yaml", "--quiet"],
}

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookFailed(Exception):
    pass


def make_inputs(partsim, data):
    """Writes every input file into data with partsim; raises NotebookFailed on an error."""
    data.mkdir(parents=True, exist_ok=True)
    for name, args in INPUTS.items():
        cmd = [str(partsim), *map(str, args), "-o", str(data / name)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=300)
        if proc.returncode != 0:
            raise NotebookFailed(f"writing {data / name} failed (exit {proc.returncode}):\n"
                                 f"  {' '.join(cmd)}\n{proc.stderr.strip()}")


def kernel_spec_dir(tmp):
    """A Jupyter data folder whose kernel "python3" runs this interpreter with ipykernel.

    Debian's python3-ipykernel installs such a spec in /usr/share/jupyter/kernels/python3,
    but a spec of the same name in ~/.local/share/jupyter or a virtual environment (pointing
    at another Python, without h5py or pandas) would come first; JUPYTER_PATH comes before
    all of them, so the notebooks run with the Python that runs this script."""
    spec = Path(tmp) / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (partsim notebooks)", "language": "python"}))
    return str(tmp)


def first_error(nb):
    """(position from 1, cell, error output) of the first cell that raised, or None."""
    for i, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                return i, cell, out
    return None


def save_figures(nb, folder):
    """Writes every image/png output as folder/<cell>-<n>.png; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    count = 0
    for i, cell in enumerate(nb.cells, 1):
        n = 0
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                n += 1
                (folder / f"{i:02d}-{n}.png").write_bytes(base64.b64decode(png))
        count += n
    return count


def run_notebook(path, out, timeout):
    """Executes the notebook at path; returns (cells, figures); raises NotebookFailed."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, startup_timeout=120,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        nbformat.write(nb, out / path.name)
        failed = first_error(nb)
        if failed is None:      # a time-out leaves no error output
            raise NotebookFailed(f"{path.name}: {ANSI.sub('', str(e)).strip()}") from None
        i, cell, err = failed
        trace = ANSI.sub("", "\n".join(err.get("traceback", [])))
        raise NotebookFailed(f"{path.name}: cell {i} raised {err.ename}: {err.evalue}\n"
                             f"--- cell {i} ---\n{cell.source}\n--- traceback ---\n{trace}") from None
    nbformat.write(nb, out / path.name)
    figures = save_figures(nb, out / path.stem)
    if figures == 0:
        raise NotebookFailed(f"{path.name}: no cell showed a figure (image/png output)")
    return len(nb.cells), figures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--partsim", default=str(REPO / "build/partsim"), help="the partsim binary")
    ap.add_argument("--out", default=str(REPO / "build/notebooks"), help="output folder")
    ap.add_argument("--notebooks", nargs="+", metavar="PATH",
                    help="notebooks to run (default: the three of analysis/notebooks)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per cell (default 120)")
    args = ap.parse_args(argv)

    out = Path(args.out).resolve()
    data = out / "data"
    notebooks = ([Path(p).resolve() for p in args.notebooks] if args.notebooks
                 else [HERE / n for n in NOTEBOOKS])
    start = time.monotonic()
    try:
        make_inputs(Path(args.partsim).resolve(), data)
    except (NotebookFailed, OSError, subprocess.TimeoutExpired) as e:
        print(f"run_notebooks: {e}", file=sys.stderr)
        return 1
    print(f"inputs: {', '.join(INPUTS)} in {data} ({time.monotonic() - start:.1f} s)")

    failures = 0
    with tempfile.TemporaryDirectory(prefix="partsim-jupyter-") as tmp:
        pythonpath = [str(REPO / "analysis"), *filter(None, [os.environ.get("PYTHONPATH")])]
        os.environ.update({
            "JUPYTER_PATH": os.pathsep.join([kernel_spec_dir(tmp),
                                             *filter(None, [os.environ.get("JUPYTER_PATH")])]),
            "JUPYTER_RUNTIME_DIR": tmp,     # the kernels' connection files: not in $HOME
            "IPYTHONDIR": str(Path(tmp) / "ipython"),   # no profile or startup file of the user
            "PYTHONPATH": os.pathsep.join(pythonpath),
            "PARTSIM_NOTEBOOK_DATA": str(data),
            "MPLBACKEND": "Agg",        # headless; the notebooks' %matplotlib inline draws PNGs
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",   # ipykernel's debugger warning on stderr
        })
        for path in notebooks:
            t0 = time.monotonic()
            try:
                cells, figures = run_notebook(path, out, args.timeout)
            except NotebookFailed as e:
                failures += 1
                print(f"FAILED {e}", file=sys.stderr)
                continue
            except Exception as e:      # unreadable notebook, kernel that did not start
                failures += 1
                print(f"FAILED {path.name}: {type(e).__name__}: {e}", file=sys.stderr)
                continue
            print(f"{path.stem}: {cells} cells, {figures} figures, "
                  f"{time.monotonic() - t0:.1f} s -> {out / path.stem}/")
    print(f"{len(notebooks) - failures} of {len(notebooks)} notebook(s) ran in "
          f"{time.monotonic() - start:.1f} s" + (f"; {failures} failed" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
