"""The trace of `partsim run`: energy bookkeeping, schema and root attributes, /summary from
/frames, determinism."""
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import nan0

SCENARIO = """\
name: trace
seed: {seed}
workload: {{model: squeezenet1_1, bits: 8}}
accelerators:
  sensor: {{preset: eyeriss-v1}}
  edge: eyeriss-v1
nodes:
  - {{name: cam, count: 3, accelerator: sensor, static_power: 20 mW}}
  - {{name: ecu, accelerator: edge, static_power: 1 W}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T, length: 5 m, eee: true}}
    - {{from: sw0, to: ecu, type: 10GBASE-T, length: 2 m}}
pipelines:
  - name: det
    source: {{nodes: cam*, fps: 30 fps, jitter: 5 ms, frames: 40}}
    stages:
      - {{node: cam, until: 10}}
      - {{node: ecu}}
    queue: {{depth: 2, policy: {policy}}}
    deadline: 40 ms
"""

FRAME_COLS = ("pipeline source frame capture_s cut dropped drop_stage drop_nic deadline_met latency_s "
              "s0_node s0_queue_in_s s0_start_s s0_end_s s0_energy_j s1_node s1_queue_in_s "
              "s1_start_s s1_end_s s1_energy_j t0_start_s t0_end_s t0_wire_bytes t0_energy_j "
              "t1_start_s t1_end_s t1_wire_bytes t1_energy_j").split()
COLUMNS = {
    "/frames": FRAME_COLS,
    "/layers": ["node", "index", "name", "op", "kind", "output_shape", "macs", "mapping",
                "batch", "cycles", "compute_cycles", "dram_cycles", "glb_cycles", "latency_s", "bound",
                "utilization", "energy_j", "dram_bytes"]
               + [f"energy_{p}_j" for p in "mac rf interpe glb dram clock ctrl static".split()]
               + [f"acc_{lv}_{d}" for lv in ("rf", "interpe", "glb", "dram")
                  for d in ("ifmap", "filter", "psum")],
    "/nodes": ["name", "busy_s", "utilization", "energy_dynamic_j", "energy_static_j",
               "energy_j", "frames"],
    "/links": ["name", "busy_s", "utilization", "busy_ab_s", "busy_ba_s", "utilization_ab",
               "utilization_ba", "bytes", "energy_active_j", "energy_idle_j",
               "energy_lpi_j", "energy_j"],
    "/summary": ["pipeline", "name", "frames", "completed", "dropped", "dropped_nic",
                 "deadline_s",
                 "deadline_missed", "throughput_fps",
                 "latency_p50_s", "latency_p95_s", "latency_p99_s", "latency_max_s",
                 "energy_per_frame_j"],
    "/summary_energy": ["pipeline", "resource", "kind", "energy_per_frame_j"],
}


@pytest.mark.parametrize("policy", ["block", "drop-newest", "drop-oldest"])
def test_energy_totals_are_per_frame_energy_plus_idle_and_static(run_scenario, policy):
    _, tr = run_scenario(SCENARIO.format(seed=1, policy=policy))
    fr, nodes, links = tr.frames, tr.nodes, tr.links
    if policy != "block":
        assert (fr.dropped == 1).any()          # drops happen: their work is counted too
    per_frame = sum(nan0(fr[c]).sum() for c in fr.columns
                    if c.endswith("_energy_j") and c[0] in "st" and c[1].isdigit())
    idle = (nodes.energy_static_j.sum() + links.energy_idle_j.sum() +
            links.energy_lpi_j.sum())
    total = nodes.energy_j.sum() + links.energy_j.sum()
    assert total == pytest.approx(per_frame + idle, rel=1e-9)
    # the parts: dynamic node energy is the stage energies, active link energy the transfers
    stage = sum(nan0(fr[f"s{k}_energy_j"]).sum() for k in (0, 1))
    assert nodes.energy_dynamic_j.sum() == pytest.approx(stage, rel=1e-9)
    xfer = sum(nan0(fr[f"t{k}_energy_j"]).sum() for k in (0, 1))
    assert links.energy_active_j.sum() == pytest.approx(xfer, rel=1e-9)
    assert links.energy_lpi_j.sum() > 0          # EEE links slept between bursts


def test_trace_has_the_documented_tables_columns_and_attributes(run_scenario):
    proc, tr = run_scenario(SCENARIO.format(seed=1, policy="drop-oldest"),
                            "--set", "pipelines.det.source.frames=25")
    assert tr.keys == {k.strip("/") for k in COLUMNS}
    for table, cols in COLUMNS.items():
        assert list(tr.dtypes[table.strip("/")].names) == cols, table
    a = tr.attrs
    assert a["completed"] == 1 and a["schema_version"] == 1 and a["seed"] == 1
    assert str(a["partsim_version"]).strip()
    scenario_text = a["scenario"].decode() if isinstance(a["scenario"], bytes) else a["scenario"]
    assert "frames: 25" in scenario_text and "frames: 40" not in scenario_text
    cmd = a["command_line"].decode() if isinstance(a["command_line"], bytes) else a["command_line"]
    assert cmd.startswith("partsim") and "pipelines.det.source.frames=25" in cmd
    assert len(tr.frames) == 3 * 25                 # the override took effect
    assert "trace:" in proc.stdout


def test_summary_follows_from_frames(run_scenario):
    _, tr = run_scenario(SCENARIO.format(seed=2, policy="drop-oldest"))
    fr, s = tr.frames, tr.summary.iloc[0]
    done = fr[fr.dropped == 0]
    assert (s.frames, s.completed, s.dropped) == (len(fr), len(done), (fr.dropped == 1).sum())
    assert s.dropped > 0 and s.completed > 0
    lat = done.latency_s.to_numpy()
    assert lat == pytest.approx((done.s1_end_s - done.capture_s).to_numpy(), rel=1e-12)
    for q, col in ((0.5, "latency_p50_s"), (0.95, "latency_p95_s"), (0.99, "latency_p99_s")):
        # nearest rank (value of rank ceil(q n)), from a histogram of 0.1 % bins
        assert s[col] == pytest.approx(np.quantile(lat, q, method="inverted_cdf"), rel=2e-3), col
    assert s.latency_max_s == lat.max()
    energy = sum(nan0(fr[c]).sum() for c in ("s0_energy_j", "s1_energy_j", "t0_energy_j",
                                             "t1_energy_j"))
    assert s.energy_per_frame_j == pytest.approx(energy / len(done), rel=1e-9)
    se = tr.summary_energy
    assert se.energy_per_frame_j.sum() == pytest.approx(s.energy_per_frame_j, rel=1e-9)
    assert (fr.deadline_met == ((fr.dropped == 0) & (fr.latency_s <= 0.040))).all()


def test_same_seed_same_frames_other_seed_other_captures(run_scenario):
    _, a = run_scenario(SCENARIO.format(seed=7, policy="drop-oldest"), name="a.yaml")
    _, b = run_scenario(SCENARIO.format(seed=7, policy="drop-oldest"), name="b.yaml")
    _, c = run_scenario(SCENARIO.format(seed=8, policy="drop-oldest"), name="c.yaml")
    assert a.frames.equals(b.frames)
    assert not np.array_equal(a.frames.capture_s.to_numpy(), c.frames.capture_s.to_numpy())
    # jitter 5 ms: capture k of a camera lies in [k / 30, k / 30 + 5 ms)
    off = c.frames.capture_s - c.frames.frame / 30
    assert (off >= 0).all() and (off < 0.005).all() and off.std() > 0.0005


def test_frames_are_chunked_small_and_short_tables_by_their_length(partsim, tmp_path):
    """/frames in chunks of 384 rows at deflate level 8 (deflate's window finds most to share
    there: under half the bytes of 4096-row chunks), the tables whose length is known in one
    chunk."""
    example = Path(__file__).resolve().parents[2] / "platforms/examples/adas-8cam.yaml"
    out = tmp_path / "demo.h5"
    proc = partsim("run", example, "-o", out)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f:
        frames = f["/frames"]
        assert frames.chunks == (384,) and len(frames) == 2400
        assert frames.compression_opts == 8
        # the goal, 32 B a frame on the demo (31.9 measured; 67.1 with 4096-row chunks)
        assert frames.id.get_storage_size() / len(frames) <= 32
        assert f["/nodes"].chunks == (9,) and f["/links"].chunks == (9,)
        assert f["/summary"].chunks == (1,)
        assert f["/layers"].chunks == (1024,)
