"""`partsim run` with N cameras sharing a switch uplink: fair sharing of the uplink, bounded
queues, and what block / drop-oldest / drop-newest do, checked against a replay of the queue
from the /frames times."""
import math

import numpy as np
import pytest

from conftest import accel_prefix, cut_bytes_raw, link_doc

MODEL, BITS, CUT, N_CAMS = "alexnet", 8, 6, 4


def scenario(fps, frames, jitter_ms, depth, policy, ecu="jetson-xavier-nx"):
    return f"""\
name: contention
seed: 11
workload: {{model: {MODEL}, bits: {BITS}}}
accelerators:
  sensor: eyeriss-v1
  edge: {ecu}
nodes:
  - {{name: cam, count: {N_CAMS}, accelerator: sensor}}
  - {{name: ecu, accelerator: edge}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T, length: 5 m}}
    - {{from: sw0, to: ecu, type: 100BASE-TX, length: 5 m}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: {fps} fps, jitter: {jitter_ms} ms, frames: {frames}}}
    stages:
      - {{node: cam, until: {CUT}}}
      - {{node: ecu}}
    compression: raw
    queue: {{depth: {depth}, policy: {policy}}}
"""


def test_simultaneous_transfers_share_the_uplink_equally(partsim, run_scenario):
    _, tr = run_scenario(scenario(fps=5, frames=4, jitter_ms=0, depth=4, policy="block"))
    fr = tr.frames
    assert len(fr) == N_CAMS * 4 and (fr.dropped == 0).all()
    payload = cut_bytes_raw(partsim, MODEL, BITS)[CUT]
    wire = link_doc(partsim, "1000BASE-T", payload)["wire_bytes"]
    assert (fr.t1_wire_bytes == wire).all()
    # every route cam_i -> sw0 -> ecu has the same latency (5 m + 5 m), so CM02 gives the four
    # flows equal shares of the 100 Mb/s uplink: 25 Mb/s each (their own 1 Gb/s links are not
    # the bottleneck); time = wire * 8 / 25e6 + 10 m * 6 ns/m
    # the switch stores and forwards the last full frame: 8 + 18 + 12 + 1500 = 1538 B
    # on the 100 Mb/s uplink (docs/SIMULATION.md)
    saf = 1538 * 8 / 100e6
    expected = wire * 8 / (100e6 / N_CAMS) + 10 * 6e-9 + saf
    got = (fr.t1_end_s - fr.t1_start_s).to_numpy()
    assert got == pytest.approx(expected, rel=1e-3)
    # and the four transfers of one capture instant start together, after stage 0
    M = len(cut_bytes_raw(partsim, MODEL, BITS)) - 1
    s0 = accel_prefix(partsim, "eyeriss-v1", MODEL, BITS, "latency_s", M)[CUT]
    assert (fr.t1_start_s - fr.capture_s).to_numpy() == pytest.approx(s0, rel=1e-3)
    # alone on the uplink it would take a quarter of that (the 4x is the contention)
    alone = link_doc(partsim, "100BASE-TX", payload, 10)["time_s"]
    assert expected - saf == pytest.approx(N_CAMS * alone - 3 * 10 * 6e-9, rel=1e-6)


def replay(fr, depth, policy):
    """Replay stage 1's queue from the /frames times: arrivals at s1_queue_in_s, departures at
    s1_start_s. Returns (frames the policy drops, max occupancy, max frames waiting to enter)."""
    events = []
    for i, row in fr.iterrows():
        if not math.isnan(row.s1_queue_in_s):
            events.append((row.s1_queue_in_s, 0, i))
        if not math.isnan(row.s1_start_s):
            events.append((row.s1_start_s, 1, i))
    events.sort()
    queue, waiting, dropped = [], [], set()
    top = top_wait = 0
    for _, kind, i in events:
        if kind == 0:                      # arrival
            if len(queue) < depth:
                queue.append(i)
            elif policy == "drop-newest":
                dropped.add(i)
            elif policy == "drop-oldest":
                dropped.add(queue.pop(0))
                queue.append(i)
            else:                          # block: waits in front of the queue
                waiting.append(i)
        else:                              # the stage takes the oldest frame
            assert queue and queue[0] == i, f"frame row {i} started out of FIFO order"
            queue.pop(0)
            if waiting:
                queue.append(waiting.pop(0))
        top, top_wait = max(top, len(queue)), max(top_wait, len(waiting))
    return dropped, top, top_wait


# 4 cameras x 5 fps with jitter feed one edge node that needs ~87 ms per frame (eyeriss-v1 runs
# positions 7..19 there): 20 frames/s offered, ~11.5 served, so the edge queue fills.
@pytest.mark.parametrize("policy", ["drop-oldest", "drop-newest", "block"])
@pytest.mark.parametrize("depth", [1, 3])
def test_queue_never_exceeds_its_depth_and_the_policy_drops_what_it_says(
        partsim, run_scenario, policy, depth):
    frames = 15
    _, tr = run_scenario(scenario(fps=5, frames=frames, jitter_ms=40, depth=depth, policy=policy,
                                  ecu="eyeriss-v1"))
    fr = tr.frames.reset_index(drop=True)
    assert len(fr) == N_CAMS * frames
    dropped, top, top_wait = replay(fr, depth, policy)
    assert top == depth                          # the queue filled, and never held more
    traced = set(fr.index[fr.dropped == 1])
    assert traced == dropped                     # exactly the frames the policy says
    assert (fr.drop_stage[fr.dropped == 1] == 1).all()
    assert fr.s1_start_s[fr.dropped == 1].isna().all()
    M = len(cut_bytes_raw(partsim, MODEL, BITS)) - 1
    lat = accel_prefix(partsim, "eyeriss-v1", MODEL, BITS, "latency_s", M)
    s0, s1 = lat[CUT], lat[M] - lat[CUT]
    uplink = 4 * link_doc(partsim, "100BASE-TX", cut_bytes_raw(partsim, MODEL, BITS)[CUT],
                          10)["time_s"]
    if policy == "block":
        # one receiver per camera may wait in front of the full queue; nothing is lost
        assert not dropped and 1 <= top_wait <= N_CAMS
        assert (fr.dropped == 0).all()
        # later frames are delayed: 60 frames x s1 of work arrive within 3 s
        assert fr.latency_s.max() > 1.0
        assert fr.s1_end_s.max() >= s0 + N_CAMS * frames * s1 * (1 - 1e-9)
    else:
        assert len(dropped) > 0
        assert top_wait == 0
        # a frame that gets in waits for at most `depth` frames plus the one being served
        done = fr[fr.dropped == 0]
        assert done.latency_s.max() <= s0 + uplink + (depth + 1) * s1
        served = np.sort(done.s1_start_s.to_numpy())
        assert np.all(np.diff(served) >= s1 * (1 - 1e-9))   # one accelerator, FIFO


TREE = f"""\
name: tree
seed: 3
workload: {{model: {MODEL}, bits: {BITS}}}
accelerators:
  sensor: eyeriss-v1
  edge: jetson-xavier-nx
nodes:
  - {{name: left, count: 2, accelerator: sensor}}
  - {{name: right, count: 2, accelerator: sensor}}
  - {{name: ecu, accelerator: edge}}
network:
  switches: [swa, swb, agg]
  links:
    - {{from: left*, to: swa, type: 1000BASE-T, length: 5 m}}
    - {{from: right*, to: swb, type: 1000BASE-T, length: 5 m}}
    - {{from: swa, to: agg, type: 1000BASE-T, length: 5 m}}
    - {{from: swb, to: agg, type: 1000BASE-T, length: 5 m}}
    - {{from: agg, to: ecu, type: 100BASE-TX, length: 5 m}}
pipelines:
  - name: p
    source: {{nodes: left*, fps: 5 fps, frames: 3}}
    stages:
      - {{node: left, until: {CUT}}}
      - {{node: ecu}}
    compression: raw
  - name: q
    source: {{nodes: right*, fps: 5 fps, frames: 3}}
    stages:
      - {{node: right, until: {CUT}}}
      - {{node: ecu}}
    compression: raw
"""


def test_flows_across_switch_zones_share_the_last_link_equally(partsim, run_scenario):
    """Cameras on two edge switches and the ECU on an aggregation switch: each
    switch with its cameras is a zone of its own in the platform, and a route
    crosses three of them; the four simultaneous flows still get a quarter of
    the 100 Mb/s link each, and every switch on the way stores and forwards."""
    _, tr = run_scenario(TREE)
    fr = tr.frames
    assert len(fr) == 4 * 3 and (fr.dropped == 0).all()
    payload = cut_bytes_raw(partsim, MODEL, BITS)[CUT]
    wire = link_doc(partsim, "1000BASE-T", payload)["wire_bytes"]
    saf = 1538 * 8 / 1e9 + 1538 * 8 / 100e6  # leaving swa (or swb), then agg
    expected = wire * 8 / (100e6 / 4) + 3 * 5 * 6e-9 + saf
    got = (fr.t1_end_s - fr.t1_start_s).to_numpy()
    assert got == pytest.approx(expected, rel=1e-3)
