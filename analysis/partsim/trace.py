"""partsim.open: one HDF5 file of partsim as DataFrames (see the package's docstring)."""
import math
import re

import numpy as np
import pandas as pd

SCHEMA_VERSION = 1


class TraceError(Exception):
    """A file partsim.open cannot read: not partsim's, another schema version, no such table."""


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v.item())
    return v


def percentile(values, q):
    """The q-th percentile (0 < q <= 100) by the nearest-rank definition the C summary uses:
    the smallest value with at least q % of the values at or below it, i.e. the value of rank
    ceil(q / 100 * n) in ascending order (rank 1 for q = 0).  NaN values are left out; NaN
    when none is left.  (pandas' and numpy's default interpolate between ranks instead.)  The
    C side keeps a histogram of 0.1 % bins, so /summary agrees with this to within 0.1 %."""
    v = np.sort(np.asarray(values, dtype=float))
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile: q = {q}, expected 0 to 100")
    rank = max(1, math.ceil(q / 100 * len(v)))
    return float(v[rank - 1])


class Trace:
    """A partsim file: kind, attrs (root attributes, decoded), tables (names), units (per
    table, column -> SI unit), and one DataFrame per table by name: t["frames"]."""

    def __init__(self, path):
        import h5py
        self.path = str(path)
        try:
            self._h5 = h5py.File(self.path, "r")
        except OSError as e:
            raise TraceError(f"{self.path}: cannot open it as an HDF5 file ({e})") from None
        self.attrs = {k: _text(v) for k, v in self._h5.attrs.items()}
        version = self.attrs.get("schema_version")
        if version is None:
            raise TraceError(f"{self.path}: not a partsim file (no schema_version attribute)")
        if int(version) != SCHEMA_VERSION:
            newer = int(version) > SCHEMA_VERSION
            raise TraceError(
                f"{self.path}: trace schema version {int(version)}; this partsim package reads "
                f"version {SCHEMA_VERSION} ({'a newer partsim wrote it: update the package' if newer else 'an older partsim wrote it: convert or re-run it'})")
        if int(self.attrs.get("completed", 0)) != 1:
            raise TraceError(f"{self.path}: the file is not complete (its writer stopped)")
        self._paths = {}
        self._h5.visititems(self._collect)
        self.tables = sorted(self._paths)
        self.kind = ("sweep" if any(n.startswith("sweep/") for n in self.tables) else
                     "explore" if any(n.startswith("explore/") for n in self.tables) else "run")
        self.units = {name: {k[len("unit_"):]: _text(v) for k, v in self._h5[p].attrs.items()
                             if k.startswith("unit_")} for name, p in self._paths.items()}
        self._cache = {}

    def _collect(self, name, obj):
        import h5py
        if isinstance(obj, h5py.Dataset) and obj.dtype.names and not name.startswith("runs/"):
            self._paths[name] = "/" + name

    def __getitem__(self, name):
        name = name.lstrip("/")
        if name not in self._paths:
            raise TraceError(f"{self.path} has no table '{name}'; it has: "
                             f"{', '.join(self.tables)}")
        if name not in self._cache:
            self._cache[name] = self._frame(name)
        return self._cache[name]

    def _frame(self, name):
        df = pd.DataFrame(self._h5[self._paths[name]][:])
        for c in df.columns:
            if df[c].dtype == object and len(df) and isinstance(df[c].iloc[0], bytes):
                df[c] = df[c].str.decode("utf-8")
        return self._join_names(name, df)

    def _join_names(self, name, df):
        """Node indices as names: <column>_name beside every node column of a run's tables
        (source, s<k>_node, node), from /nodes (row i is node i)."""
        if self.kind != "run" or "nodes" not in self._paths or name == "nodes":
            return df
        nodes = pd.DataFrame(self._h5["/nodes"]["name"][:].astype(str), columns=["name"])
        names = nodes["name"].tolist()
        cols = [c for c in df.columns if c in ("source", "node") or re.fullmatch(r"s\d+_node", c)]
        for c in cols:
            df[c + "_name"] = [names[i] if 0 <= i < len(names) else None for i in df[c]]
        return df

    def runs(self):
        """A sweep with --keep-runs: the point numbers whose run tables it holds."""
        return sorted(int(k) for k in self._h5["/runs"].keys()) if "runs" in self._h5 else []

    def run(self, point):
        """A sweep with --keep-runs: point's run tables, as DataFrames by name."""
        group = self._h5.get(f"/runs/{point}")
        if group is None:
            raise TraceError(f"{self.path} holds no run of point {point} (--keep-runs)")
        out = {}
        for k in group:
            df = pd.DataFrame(group[k][:])
            for c in df.columns:
                if df[c].dtype == object and len(df) and isinstance(df[c].iloc[0], bytes):
                    df[c] = df[c].str.decode("utf-8")
            out[k] = df
        return out

    def close(self):
        self._h5.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<partsim {self.kind} {self.path}: {', '.join(self.tables)}>"


def open(path):
    """Open a run, explore or sweep file of partsim (raises TraceError with the reason)."""
    return Trace(path)

