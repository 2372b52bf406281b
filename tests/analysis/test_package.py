"""The Python package `partsim` (analysis/partsim) on files partsim writes during the test: its
DataFrames against the C side's own numbers."""
import math
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "analysis"))
import partsim  # noqa: E402

EXAMPLES = REPO / "platforms/examples"


@pytest.fixture(scope="module")
def run_file(tmp_path_factory, partsim_bin):
    out = tmp_path_factory.mktemp("run") / "adas.h5"
    proc = partsim_bin("run", EXAMPLES / "adas-8cam.yaml", "-o", out, "--set", "trace.events=true")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def partsim_bin(partsim):
    return partsim


def test_a_run_is_read_with_strings_decoded_and_node_names_joined(run_file):
    t = partsim.open(run_file)
    assert t.kind == "run"
    assert {"frames", "nodes", "links", "summary", "events", "layers"} <= set(t.tables)
    nodes = t["nodes"]
    assert nodes.name.tolist()[:2] == ["cam0", "cam1"] and isinstance(nodes.name[0], str)
    f = t["frames"]
    assert len(f) == 2400
    with h5py.File(run_file, "r") as h:
        raw = h["/frames"][:]
        names = [n.decode() for n in h["/nodes"]["name"][:]]
    assert f.source_name.tolist() == [names[i] for i in raw["source"]]
    assert f.s1_node_name.tolist() == [names[i] for i in raw["s1_node"]]
    assert set(t["events"].node_name) <= set(names)
    assert t.units["frames"]["capture_s"] == "s" and t.units["summary"]["energy_per_frame_j"] == "J"
    assert t.attrs["completed"] == 1 and "name: adas-8cam" in t.attrs["scenario"]


def test_percentile_is_the_nearest_rank_one_the_summary_uses(run_file):
    t = partsim.open(run_file)
    lat = t["frames"].latency_s
    s = t["summary"].iloc[0]
    for q, col in [(50, "latency_p50_s"), (95, "latency_p95_s"), (99, "latency_p99_s")]:
        assert partsim.percentile(lat, q) == pytest.approx(s[col], rel=1e-3), col  # 0.1 % bins
    assert partsim.percentile(lat, 100) == pytest.approx(s["latency_max_s"], rel=1e-12)
    # nearest rank by hand: of 1..10, the 25th percentile is rank ceil(2.5) = 3
    assert partsim.percentile(range(1, 11), 25) == 3
    assert partsim.percentile([4.0, float("nan"), 1.0], 50) == 1.0
    assert math.isnan(partsim.percentile([], 50))
    # pandas' median interpolates: on this run it differs from the summary's p50
    assert abs(lat.median() - s["latency_p50_s"]) > 1e-4


def test_explore_and_sweep_files_say_their_kind(partsim_bin, tmp_path):
    e, w = tmp_path / "e.h5", tmp_path / "w.h5"
    assert partsim_bin("explore", EXAMPLES / "kress-chain.yaml", "-o", e,
                       "--quiet").returncode == 0
    proc = partsim_bin("sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,4",
                       "--set", "duration=1 s", "--keep-runs", "-o", w, "--quiet")
    assert proc.returncode == 0, proc.stderr
    te, tw = partsim.open(e), partsim.open(w)
    assert te.kind == "explore" and "explore/candidates" in te.tables
    assert isinstance(te["explore/front"].cuts[0], str)
    assert tw.kind == "sweep" and tw["sweep/points"].nodes_0_count.tolist() == [2, 4]
    assert tw.runs() == [0, 1]
    assert len(tw.run(1)["frames"]) == 4 * 30
    with pytest.raises(partsim.TraceError, match="no run of point 7"):
        tw.run(7)


def test_files_the_package_cannot_read_are_refused_with_the_reason(run_file, tmp_path):
    newer = tmp_path / "newer.h5"
    newer.write_bytes(run_file.read_bytes())
    with h5py.File(newer, "a") as h:
        h.attrs["schema_version"] = np.int32(partsim.SCHEMA_VERSION + 1)
    with pytest.raises(partsim.TraceError, match="schema version 2.*newer partsim"):
        partsim.open(newer)
    partial = tmp_path / "partial.h5"
    partial.write_bytes(run_file.read_bytes())
    with h5py.File(partial, "a") as h:
        h.attrs["completed"] = np.int32(0)
    with pytest.raises(partsim.TraceError, match="not complete"):
        partsim.open(partial)
    junk = tmp_path / "junk.h5"
    junk.write_text("not hdf5")
    with pytest.raises(partsim.TraceError, match="cannot open it as an HDF5 file"):
        partsim.open(junk)
    with pytest.raises(partsim.TraceError, match="has no table 'framez'; it has: events"):
        partsim.open(run_file)["framez"]
