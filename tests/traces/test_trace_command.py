"""`partsim trace summary|export --csv`: files partsim writes during the test, read back by the C
reader, against what the writing command printed and what h5py reads."""
import csv
import json
from pathlib import Path

import h5py
import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "platforms/examples"


@pytest.fixture(scope="module")
def run_file(partsim, tmp_path_factory):
    out = tmp_path_factory.mktemp("t") / "adas.h5"
    doc = partsim.json("run", EXAMPLES / "adas-8cam.yaml", "-o", out)
    return out, doc


def test_summary_of_a_run_is_what_run_printed(partsim, run_file):
    out, doc = run_file
    got = partsim.json("trace", "summary", out)
    assert got["kind"] == "run"
    s, r = got["summary"][0], doc["summary"][0]
    for k in ["frames", "completed", "dropped", "deadline_missed"]:
        assert s[k] == r[k], k
    for k in ["throughput_fps", "latency_p50_s", "latency_p99_s", "energy_per_frame_j"]:
        assert s[k] == pytest.approx(r[k], rel=1e-12), k
    assert [n["name"] for n in got["nodes"]] == [n["name"] for n in doc["nodes"]]
    assert [n["utilization"] for n in got["links"]] == pytest.approx(
        [n["utilization"] for n in doc["links"]], rel=1e-12)
    text = partsim("trace", "summary", out)
    assert text.returncode == 0 and "summary:" in text.stdout and "cam0-sw0" in text.stdout


def test_summary_of_a_sweep_and_of_an_exploration(partsim, tmp_path):
    sw, ex = tmp_path / "s.h5", tmp_path / "e.h5"
    pts = partsim.json("sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,4",
                       "--set", "duration=1 s", "--seeds", "2", "-o", sw)["points"]
    got = partsim.json("trace", "summary", sw)
    assert got["kind"] == "sweep"
    assert [p["completed"] for p in got["sweep/points"]] == [p["completed"] for p in pts]
    assert len(got["sweep/spread"]) == 2
    exp = partsim.json("explore", EXAMPLES / "kress-chain.yaml", "-o", ex)
    got = partsim.json("trace", "summary", ex)
    assert got["kind"] == "explore"
    assert got["explore/pick"][0]["cuts"] == exp["pick"]["cuts"]
    assert len(got["explore/front"]) == len(exp["front"])
    assert got["explore/summary"][0]["evaluated"] == exp["evaluated"]


def test_export_csv_writes_every_table_as_h5py_reads_it(partsim, run_file, tmp_path):
    out, _ = run_file
    d = tmp_path / "csv"
    proc = partsim("trace", "export", out, "--csv", d)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f:
        names = sorted(k for k in f)
        assert sorted(p.stem for p in d.glob("*.csv")) == names
        for name in names:
            with (d / f"{name}.csv").open() as fh:
                rows = list(csv.DictReader(fh))
            table = f[name][:]
            assert len(rows) == len(table), name
            assert list(rows[0].keys()) == list(table.dtype.names), name
        frames = f["frames"][:]
    with (d / "frames.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["capture_s"]) for r in rows] == list(frames["capture_s"])
    assert [int(r["source"]) for r in rows] == list(frames["source"])
    assert not list(d.glob("*.partial-*"))


def test_files_it_cannot_read_are_refused_with_the_reason(partsim, run_file, tmp_path):
    out, _ = run_file
    newer = tmp_path / "newer.h5"
    newer.write_bytes(out.read_bytes())
    with h5py.File(newer, "a") as f:
        f.attrs["schema_version"] = np.int32(2)
    proc = partsim("trace", "summary", newer)
    assert proc.returncode == 1
    assert "trace schema version 2; this partsim reads version 1 (a newer partsim" in proc.stderr
    partial = tmp_path / "partial.h5"
    partial.write_bytes(out.read_bytes())
    with h5py.File(partial, "a") as f:
        f.attrs["completed"] = np.int32(0)
    assert "not complete" in partsim("trace", "summary", partial).stderr
    junk = tmp_path / "junk.h5"
    junk.write_text("no")
    assert "cannot open it as an HDF5 file" in partsim("trace", "summary", junk).stderr
    assert partsim("trace", "show", out).returncode == 2
    assert "export needs --csv DIR" in partsim("trace", "export", out).stderr
