"""Read partsim's HDF5 files (a run's trace, an exploration, a sweep) as pandas DataFrames.

    import partsim
    t = partsim.open("out/adas-8cam.h5")
    t.kind                       # "run", "explore" or "sweep"
    t.tables                     # the table names: ["frames", "layers", "links", ...]
    f = t["frames"]              # a DataFrame: strings decoded, node names joined in
    t.units["frames"]["capture_s"]   # "s"
    partsim.percentile(f.latency_s, 99)   # as /summary computes it (nearest rank)

Needs Debian's python3-h5py, python3-pandas and python3-numpy (scripts/install-deps.sh), under
Debian's /usr/bin/python3. The format is docs/TRACES.md; this package knows schema version
SCHEMA_VERSION and refuses other versions with a message saying which it found.

Figures: partsim.plots (python3-matplotlib), imported on first use, so `import partsim` does
not need matplotlib: `partsim.plots.latency(t)` and `import partsim.plots` both work.  The
HTML report: `python3 -m partsim.report FILE -o report.html`.
"""
import importlib

from partsim.trace import SCHEMA_VERSION, Trace, TraceError, open, percentile

__all__ = ["SCHEMA_VERSION", "Trace", "TraceError", "open", "percentile"]


def __getattr__(name):
    # partsim.plots on first use (PEP 562): matplotlib is loaded only by who draws.
    if name == "plots":
        return importlib.import_module("partsim.plots")
    raise AttributeError(f"module 'partsim' has no attribute {name!r}")
