"""A camera that alone feeds stage 0 on its own node runs that stage in its own actor
(sim/pipeline.c, camera_stage_actor); any other dispatch goes through a separate stage actor.
The two must be indistinguishable in the trace: the same scenario with `dispatch: round-robin`
over the one-member group (which takes the stage-actor path) gives the same tables, row for
row, under every queue policy and with `fps: max`, while the camera's own stage is overloaded."""
import numpy as np
import pytest

from conftest import Trace, assert_same_table

POLICIES = ["drop-oldest", "drop-newest", "block", "fps-max"]


def scenario(dispatch, policy):
    # cam0's eyeriss-v1 runs AlexNet positions 1..6 in ~14 ms: 120 fps offers ~1.6x its rate
    source = "fps: max" if policy == "fps-max" else "fps: 120 fps, jitter: 3 ms"
    queue = "block" if policy == "fps-max" else policy
    return f"""\
name: camera-stage
seed: 11
workload: {{model: alexnet, bits: 8}}
accelerators:
  sensor: eyeriss-v1
  edge: jetson-xavier-nx
nodes:
  - {{name: cam, count: 2, accelerator: sensor}}
  - {{name: ecu, accelerator: edge}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T, length: 5 m}}
    - {{from: sw0, to: ecu, type: 1000BASE-T, length: 5 m}}
pipelines:
  - name: p
    source: {{nodes: cam0, {source}, frames: 30}}
    stages:
      - {{node: cam0, until: 6, dispatch: {dispatch}}}
      - {{node: ecu}}
    compression: raw
    queue: {{depth: 2, policy: {queue}}}
"""


def run(partsim, tmp_path, dispatch, policy):
    scn = tmp_path / f"{dispatch}-{policy}.yaml"
    scn.write_text(scenario(dispatch, policy))
    out = tmp_path / f"{dispatch}-{policy}.h5"
    proc = partsim("run", scn, "-o", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return Trace(out)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_camera_running_stage_0_behaves_as_a_stage_actor(partsim, tmp_path, policy):
    own = run(partsim, tmp_path, "static", policy)
    actor = run(partsim, tmp_path, "round-robin", policy)
    assert own.keys == actor.keys
    for name in sorted(own.keys):
        assert_same_table(own.tables[name], actor.tables[name], name)
    fr = own.frames
    assert len(fr) == 30
    # the camera's own stage was overloaded: the policy acted
    if policy.startswith("drop"):
        assert (fr.dropped == 1).sum() > 0
        assert (fr.drop_stage[fr.dropped == 1] == 0).all()
    else:
        assert (fr.dropped == 0).all()
        s0 = (fr.s0_end_s - fr.s0_start_s).min()
        if policy == "fps-max":   # closed loop: one frame at a time in the camera
            gaps = np.diff(np.sort(fr.capture_s.to_numpy()))
            assert gaps.min() >= s0 * (1 - 1e-9)
        else:                     # blocked: captures fall behind their 120 fps schedule
            # frame k enters when frame k - 3 starts (depth 2, one held): after k - 3 services
            assert 29 / 120 + 0.003 < (30 - 2 - 2) * s0 <= fr.capture_s.max() * (1 + 1e-9)
    # transfer 0 is local: recorded at the capture instant with no bytes
    assert (fr.t0_wire_bytes == 0).all()
    np.testing.assert_allclose(fr.t0_start_s, fr.capture_s, rtol=0, atol=0)
