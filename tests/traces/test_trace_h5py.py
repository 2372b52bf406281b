"""The demo trace (tests/traces/trace_demo.c) as h5py and pandas read it:
tables, columns, dtypes, values recomputed from the demo's formulas, units
and root attributes (docs/TRACES.md)."""
import math
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest

FRAMES = 10000  # 9 x 1024 + 784 rows: ten chunks (trace_demo uses the default chunk)


@pytest.fixture(scope="module")
def trace(build_dir, tmp_path_factory):
    demo = build_dir / "tests" / "trace_demo"
    if not demo.exists():
        pytest.fail(f"{demo} not found: build the trace_demo target first")
    path = tmp_path_factory.mktemp("trace") / "demo.h5"
    subprocess.run([str(demo), str(path), str(FRAMES)], check=True, timeout=60)
    assert not list(path.parent.glob("*.partial-*"))
    with h5py.File(path, "r") as f:
        yield f


def test_root_attributes(trace):
    a = trace.attrs
    assert a["schema_version"] == 1
    assert a["completed"] == 1
    assert a["seed"] == 42
    assert a["scenario"] == "pipelines:\n  - name: front  # demo\n"
    assert a["command_line"] == "trace_demo"
    assert isinstance(a["partsim_version"], str) and a["partsim_version"]
    assert len(a["created_at"]) == 20 and a["created_at"].endswith("Z")


def test_tables_present(trace):
    assert set(trace.keys()) == {"frames", "nodes", "summary", "summary_energy", "sweep"}
    assert isinstance(trace["sweep"], h5py.Group)
    assert trace["frames"].chunks == (1024,)
    assert trace["frames"].compression == "gzip" and trace["frames"].shuffle
    assert trace["frames"].maxshape == (None,)


def test_frames_columns_and_dtypes(trace):
    df = pd.DataFrame(trace["/frames"][:])
    expected = ["pipeline", "source", "frame", "capture_s", "cut", "dropped", "drop_stage",
                "drop_nic", "deadline_met", "latency_s"]
    for k in range(2):
        expected += [f"s{k}_{c}" for c in ("node", "queue_in_s", "start_s", "end_s", "energy_j")]
    expected += [f"t0_{c}" for c in ("start_s", "end_s", "wire_bytes", "energy_j")]
    assert list(df.columns) == expected
    dtypes = df.dtypes
    assert dtypes["pipeline"] == np.int32 and dtypes["frame"] == np.int64
    assert dtypes["dropped"] == np.int8 and dtypes["drop_stage"] == np.int16
    assert dtypes["t0_wire_bytes"] == np.int64 and dtypes["s1_end_s"] == np.float64
    assert len(df) == FRAMES


def test_frames_values_follow_the_demo_formulas(trace):
    df = pd.DataFrame(trace["/frames"][:])
    i = np.arange(FRAMES)
    capture = i / 30.0
    dropped = i % 10 == 9
    assert (df["frame"] == i).all()
    assert (df["pipeline"] == i % 2).all()
    np.testing.assert_array_equal(df["capture_s"], capture)
    np.testing.assert_array_equal(df["s0_end_s"], capture + 0.011)
    assert (df["t0_wire_bytes"] == 1000 + i).all()
    assert (df["dropped"] == dropped).all()
    assert (df.loc[dropped, "drop_stage"] == 1).all()
    assert (df.loc[~dropped, "drop_stage"] == -1).all()
    # dropped frames: latency NaN, stage 1 cleared (node -1, NaN times)
    assert df.loc[dropped, "latency_s"].isna().all()
    assert (df.loc[dropped, "s1_node"] == -1).all() and df.loc[dropped, "s1_end_s"].isna().all()
    # 9000 frames complete with latency 0.020 s; 1000 (one in ten) dropped
    assert df["latency_s"].notna().sum() == 9000
    assert df["latency_s"].max() == pytest.approx(0.020)
    assert (df["s1_end_s"] - df["capture_s"]).dropna().to_numpy() == pytest.approx(0.020)


def test_units_are_column_attributes(trace):
    attrs = trace["/frames"].attrs
    assert attrs["unit_capture_s"] == "s"
    assert attrs["unit_s1_energy_j"] == "J"
    assert attrs["unit_t0_wire_bytes"] == "B"
    assert "unit_frame" not in attrs
    assert trace["/nodes"].attrs["unit_utilization"] == "1"


def test_small_tables_and_strings(trace):
    nodes = pd.DataFrame(trace["/nodes"][:])
    assert list(nodes.columns) == ["name", "busy_s", "utilization", "energy_dynamic_j",
                                   "energy_static_j", "energy_j", "frames"]
    assert nodes["name"].str.decode("utf-8").tolist() == ["cam0", "cam1", "edge"]
    assert trace["/nodes"].dtype["name"] == np.dtype("S64")  # pandas holds them as bytes objects
    assert nodes["energy_j"].tolist() == [1.0, 3.0, 5.0]  # 2k + 1
    summary = pd.DataFrame(trace["/summary"][:])
    assert summary.loc[0, "name"] == b"front"
    assert summary.loc[0, "dropped"] == 500 and summary.loc[0, "throughput_fps"] == 15.0
    assert summary.loc[0, "deadline_missed"] == 20
    energy = pd.DataFrame(trace["/summary_energy"][:])
    assert energy["kind"].tolist() == [b"node"]
    assert trace["/summary_energy"].dtype["kind"] == np.dtype("S8")
    sweep = pd.DataFrame(trace["/sweep/points"][:])
    points = trace["/sweep/points"].dtype
    assert [points[c] for c in range(4)] == [np.int16, np.int8, np.dtype("S16"), np.float64]
    assert sweep["bits"].tolist() == [8, 16, 8, 16, 8]  # 8 << (k % 2)
    assert sweep["label"].tolist() == [b"p0", b"p1", b"p2", b"p3", b"p4"]
    assert sweep["rate_bps"].tolist() == pytest.approx([1e9 / (k + 1) for k in range(5)])
    assert not math.isnan(sweep["rate_bps"].sum())


def test_failed_demo_leaves_nothing(build_dir, tmp_path):
    demo = build_dir / "tests" / "trace_demo"
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    proc = subprocess.run([str(demo), str(blocker / "out.h5")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert str(blocker / "out.h5") in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
