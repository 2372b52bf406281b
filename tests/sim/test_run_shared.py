"""Several pipelines share a node: its accelerator runs one stage at a time (a FIFO
mutex shared by every stage mapped to it), and its busy time is the sum of their work."""
import h5py
import numpy as np
import pandas as pd

SCENARIO = """
name: shared
seed: 2
duration: 2 s
workload: {model: squeezenet1_1, bits: 8}
accelerators:
  acc: {preset: eyeriss-v1}
  gpu: jetson-nano
nodes:
  - {name: front, count: 2, accelerator: acc}
  - {name: rear, accelerator: acc}
  - {name: ecu, accelerator: gpu}
network:
  switches: [sw]
  links:
    - {from: front*, to: sw, type: 1000BASE-T, length: 3 m}
    - {from: rear, to: sw, type: 1000BASE-T, length: 6 m}
    - {from: sw, to: ecu, type: 10GBASE-T, length: 1 m}
pipelines:
  - name: detect
    source: {nodes: front*, fps: 30 fps, jitter: 1 ms}
    stages: [{node: front, until: 3}, {node: ecu}]
    queue: {depth: 8, policy: drop-oldest}
  - name: park
    source: {nodes: rear, fps: 10 fps}
    stages: [{node: rear, until: 20}, {node: ecu}]
    queue: {depth: 8, policy: drop-oldest}
"""


def test_pipelines_share_the_ecu_one_stage_at_a_time(partsim, tmp_path):
    scn = tmp_path / "s.yaml"
    scn.write_text(SCENARIO)
    out = tmp_path / "s.h5"
    p = partsim("run", scn, "-o", out, "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        fr = pd.DataFrame(f["frames"][:])
        nodes = pd.DataFrame(f["nodes"][:])
        summary = pd.DataFrame(f["summary"][:])
    nodes["name"] = nodes.name.str.decode("ascii")
    ecu = int(nodes.index[nodes.name == "ecu"][0])
    # both pipelines ran frames on the ECU: 2 x 30 fps + 10 fps over 2 s
    assert list(summary.frames) == [120, 20]
    assert (fr.s1_node == ecu).all()
    assert set(fr.pipeline) == {0, 1}
    # the ECU's stage runs, across both pipelines, never overlap
    runs = fr[["s1_start_s", "s1_end_s"]].dropna().sort_values("s1_start_s").to_numpy()
    assert np.all(runs[1:, 0] >= runs[:-1, 1] - 1e-12)
    # its busy time is the sum of both pipelines' work there
    np.testing.assert_allclose(nodes.busy_s[ecu], (runs[:, 1] - runs[:, 0]).sum(), rtol=1e-9)
    # the cut differs per pipeline (3 for detect, 20 for park) and so does the ECU's work
    d0 = fr[fr.pipeline == 0].eval("s1_end_s - s1_start_s").dropna()
    d1 = fr[fr.pipeline == 1].eval("s1_end_s - s1_start_s").dropna()
    assert set(fr[fr.pipeline == 0].cut) == {3} and set(fr[fr.pipeline == 1].cut) == {20}
    assert d0.min() > d1.max()


def test_a_result_returns_to_the_camera(partsim, tmp_path):
    scn = tmp_path / "r.yaml"
    scn.write_text(SCENARIO.replace("duration: 2 s", "duration: 0.5 s").replace(
        "    queue: {depth: 8, policy: drop-oldest}\n  - name: park",
        "    queue: {depth: 8, policy: drop-oldest}\n    result: 2 kB\n  - name: park"))
    out = tmp_path / "r.h5"
    p = partsim("run", scn, "-o", out, "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        fr = pd.DataFrame(f["frames"][:])
    det = fr[(fr.pipeline == 0) & (fr.dropped == 0)]
    park = fr[fr.pipeline == 1]
    # detect has a third transfer: the 2 kB result (IEEE framing: 2 frames, 2000 + 2 x 38
    # = 2076 B on the wire) from the ECU back to its camera, after the last stage
    assert (det.t2_wire_bytes == 2076).all()
    assert (det.t2_start_s >= det.s1_end_s - 1e-12).all()
    # latency ends when the result arrives
    np.testing.assert_allclose(det.latency_s, det.t2_end_s - det.capture_s, rtol=1e-12)
    # park returns nothing
    assert park.t2_start_s.isna().all()
    np.testing.assert_allclose(park.latency_s, park.s1_end_s - park.capture_s, rtol=1e-12)


def test_a_bad_rate_profile_is_an_error_before_the_run(partsim, tmp_path):
    (tmp_path / "rate.csv").write_text("time_s,rate_bps\n0,1e9\n0.5,fast\n")
    scn = tmp_path / "p.yaml"
    scn.write_text(SCENARIO.replace("{from: sw, to: ecu, type: 10GBASE-T, length: 1 m}",
                                    "{from: sw, to: ecu, type: 10GBASE-T, length: 1 m, "
                                    "profile: rate.csv}"))
    p = partsim("run", scn, "-o", tmp_path / "p.h5", "--quiet")
    assert p.returncode == 1
    # the scenario's line of the link, then the profile's file and line
    assert "p.yaml:18:66:" in p.stderr and "rate.csv:3:" in p.stderr, p.stderr
    assert not (tmp_path / "p.h5").exists()
    (tmp_path / "rate.csv").unlink()
    p = partsim("run", scn, "-o", tmp_path / "p.h5", "--quiet")
    assert p.returncode == 1 and "rate.csv" in p.stderr and "p.yaml:18:66:" in p.stderr
