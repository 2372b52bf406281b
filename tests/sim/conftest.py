"""Helpers for the `partsim run` tests: write a scenario into tmp_path, run it, read the trace.

SimGrid loads one platform per process, so every run is a `partsim run` subprocess."""
import json
import textwrap

import h5py
import numpy as np
import pandas as pd
import pytest


def accel_prefix(partsim, arch, model, bits, key, M):
    """[0, x1, x1 + x2, ...]: prefix sums of a per-layer column of `partsim accel` over the
    schedule positions 1..M (a stage running positions a+1..b costs prefix[b] - prefix[a]); M = last position."""
    doc = partsim.json("accel", arch, model, "--bits", bits)
    per = [0.0] * (M + 1)      # layers without cost are not listed: they add 0
    for row in doc["layers"]:
        per[row["index"]] = row[key]
    out = [0.0]
    for p in range(1, M + 1):
        out.append(out[-1] + per[p])
    return out


def cut_bytes_raw(partsim, model, bits):
    """Raw cut-set bytes per position 0..M (0 = the network input) at `bits`."""
    doc = partsim.json("layers", model, "--bits", bits)
    first = doc["layers"][0]
    return [first["input_elems"] * bits // 8] + [r["cut_bytes"] for r in doc["layers"]]


def link_doc(partsim, kind, payload, length_m=0):
    return partsim.json("link", kind, "--bytes", int(payload), "--length", f"{length_m}m")


class Trace:
    """The tables of one trace as DataFrames (strings decoded) and its root attributes."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.attrs = dict(f.attrs)
            self.keys = set(f.keys())
            self.tables = {}
            for name in self.keys:
                df = pd.DataFrame(f[name][:])
                for col in df.columns:
                    if df[col].dtype == object:
                        df[col] = df[col].str.decode("utf-8")
                self.tables[name] = df
            self.dtypes = {name: f[name].dtype for name in self.keys}

    def __getattr__(self, name):
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def run_scenario(partsim, tmp_path):
    """run_scenario(yaml_text, *args, name="s.yaml", check=True) -> (CompletedProcess, Trace|None).
    The scenario is written to tmp_path/name, the trace to tmp_path/<stem>.h5."""

    def run(text, *args, name="s.yaml", check=True):
        scn = tmp_path / name
        scn.write_text(textwrap.dedent(text))
        out = tmp_path / (scn.stem + ".h5")
        proc = partsim("run", scn, "-o", out, "--quiet", *args)
        if check:
            assert proc.returncode == 0, proc.stderr
            return proc, Trace(out)
        return proc, None

    return run


def chain_scenario(archs, links, ends, fps, frames, policy="drop-newest", depth=3,
                   model="alexnet", bits=8):
    """One camera n0 and a chain of nodes n1, n2, ... (accelerator a<k> = archs[k], a preset
    name or an inline map), each linked to the next by links[k] = (type, length in m); stage k
    runs up to ends[k], the last stage the rest; raw cut-sets."""
    names = [f"n{k}" for k in range(len(archs))]
    acc = "\n".join(f"  a{k}: {a}" for k, a in enumerate(archs))
    nodes = "\n".join(f"  - {{name: {n}, accelerator: a{k}}}" for k, n in enumerate(names))
    net = "\n".join(f"    - {{from: {names[k]}, to: {names[k + 1]}, type: {t}, length: {m} m}}"
                    for k, (t, m) in enumerate(links))
    stages = "\n".join(f"      - {{node: {n}, until: {ends[k]}}}" for k, n in enumerate(names[:-1]))
    return f"""\
name: chain
seed: 3
workload: {{model: {model}, bits: {bits}}}
accelerators:
{acc}
nodes:
{nodes}
network:
  links:
{net}
pipelines:
  - name: p
    source: {{nodes: n0, fps: {fps:.9g} fps, frames: {frames}}}
    stages:
{stages}
      - {{node: {names[-1]}}}
    compression: raw
    queue: {{depth: {depth}, policy: {policy}}}
"""


def assert_same_table(a, b, name):
    """Two DataFrames equal row for row (floats to 1e-9, NaN equal to NaN)."""
    assert list(a.columns) == list(b.columns), name
    assert len(a) == len(b), name
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True,
                                       err_msg=f"{name}.{col}")
        else:
            assert (x == y).all(), f"{name}.{col}"


def nan0(series):
    return np.nan_to_num(series.to_numpy(dtype=float), nan=0.0)
