"""Batching (`batch:` on an accelerator; docs/SIMULATION.md, "Batching"): a stage whose layers
meet the accelerator's batched range collects N frames from its queue, runs them together and
forwards them all at the end; its batched layers cost a frame what `partsim accel --batch N`
says (the weights are read once per batch, NeuPart eq. (11)'s N).

The scenario: a camera n0 (Eyeriss) runs AlexNet up to the first max-pool (position 3),
1000BASE-T carries the cut-set, the ECU n1 (Eyeriss) runs the rest with its three FC layers
batched. The
expected values come from `partsim accel`'s per-layer tables at batch 1 and batch N and from
`partsim explore`, not from the simulator's own prices."""
import json

import numpy as np
import pytest

from conftest import assert_same_table, chain_scenario

MODEL, BITS, ARCH, N = "alexnet", 8, "eyeriss-v1", 4
FC1, CUT = "/classifier/classifier.1/Gemm", 3       # the first FC layer; camera runs 1..3
FC_BATCH = f"{{frames: {N}, from: {FC1}}}"


def scenario(batch=FC_BATCH, fps=2.0, frames=12, depth=N, sensor_batch=None):
    """cam n0 (accelerator a0) -> 1000BASE-T -> ecu n1 (a1); `batch`: a1's, `sensor_batch`: a0's."""
    def acc(b):
        return ARCH if b is None else f"{{preset: {ARCH}, batch: {b}}}"
    return chain_scenario((acc(sensor_batch), acc(batch)), (("1000BASE-T", 5),), (CUT,), fps,
                          frames, policy="drop-oldest", depth=depth, model=MODEL, bits=BITS)


def per_layer(partsim, batch, key):
    """{layer index (1-based, = the position it ends): value} of `partsim accel` at `batch`."""
    doc = partsim.json("accel", ARCH, MODEL, "--bits", BITS, "--batch", batch)
    return {row["index"]: row[key] for row in doc["layers"]}, doc["layers"]


def stage1_cost(partsim, key, batched):
    """Stage 1 (layers CUT+1..M) per frame: the FC layers at batch N when `batched`."""
    one, rows = per_layer(partsim, 1, key)
    many, _ = per_layer(partsim, N, key)
    first_fc = next(r["index"] for r in rows if r["name"] == FC1)
    M = max(one)
    fc = sum(many.get(i, 0) if batched else one.get(i, 0) for i in range(first_fc, M + 1))
    return sum(one.get(i, 0) for i in range(CUT + 1, first_fc)) + fc


def completions(fr):
    done = fr[fr.dropped == 0]
    return np.sort((done.capture_s + done.latency_s).to_numpy())


def steady_throughput(done):
    """Frames finished after the middle one's time, over the time since (frames of a batch
    finish together, so they are counted whole)."""
    t0 = done[len(done) // 2]
    return (done > t0).sum() / (done[-1] - t0)


def explore_candidate(partsim, tmp_path, text):
    scn = tmp_path / "explore.yaml"
    scn.write_text(text)
    doc = partsim.json("explore", scn)
    return next(c for c in doc["candidates"] if c["cuts"] == str(CUT))


def test_a_batched_fc_range_costs_a_frame_what_partsim_accel_reports_at_that_batch(
        partsim, run_scenario):
    _, batched = run_scenario(scenario(frames=8))
    _, single = run_scenario(scenario(batch=None, frames=8), name="single.yaml")
    e_batched = stage1_cost(partsim, "energy_j", True)
    e_single = stage1_cost(partsim, "energy_j", False)
    # the weights of the FC layers are read once per batch: a frame costs less
    assert e_single - e_batched > 0.1 * e_single
    assert batched.frames.s1_energy_j.to_numpy() == pytest.approx(e_batched, rel=1e-9)
    assert single.frames.s1_energy_j.to_numpy() == pytest.approx(e_single, rel=1e-9)
    saved = single.frames.s1_energy_j - batched.frames.s1_energy_j
    assert saved.to_numpy() == pytest.approx(e_single - e_batched, rel=1e-6)
    # the accelerator is busy N x the per-frame time at batch N for the whole batch
    busy = (batched.frames.s1_end_s - batched.frames.s1_start_s).to_numpy()
    assert busy == pytest.approx(N * stage1_cost(partsim, "latency_s", True), rel=1e-9)
    ecu = batched.nodes.set_index("name").loc["n1"]
    assert ecu.busy_s == pytest.approx(8 / N * busy[0], rel=1e-9)


@pytest.mark.parametrize("where", ["edge", "camera"])
def test_the_frames_of_a_batch_start_and_leave_together_in_arrival_order(run_scenario, where):
    if where == "edge":
        text, stage, n = scenario(frames=12), 1, N
    else:   # the camera batches its own stage (positions 1..3), 3 frames at a time
        text, stage, n = scenario(batch=None, frames=12, sensor_batch="{frames: 3, until: 3}"), 0, 3
    _, tr = run_scenario(text)
    fr = tr.frames.sort_values("frame")
    assert len(fr) == 12 and (fr.dropped == 0).all()
    batch = fr.groupby(fr.frame // n)
    start, end = batch[f"s{stage}_start_s"], batch[f"s{stage}_end_s"]
    assert (start.nunique() == 1).all() and (end.nunique() == 1).all()
    assert fr[f"s{stage}_end_s"].nunique() == 12 // n
    # the stage is idle at 2 fps: a batch starts when its last frame joins the queue
    np.testing.assert_allclose(start.first(), batch[f"s{stage}_queue_in_s"].max(), rtol=0,
                               atol=1e-12)
    # and the frames leave together: the next transfer of each starts at the batch's end
    if where == "camera":
        assert (fr.t1_start_s.to_numpy() >= fr.s0_end_s.to_numpy()).all()
        assert (batch.t1_start_s.min() == end.first()).all()


def test_a_partial_batch_at_the_end_of_the_run_is_not_run(partsim, tmp_path, run_scenario):
    proc, tr = run_scenario(scenario(frames=10))
    fr = tr.frames.sort_values("frame")
    done, dropped = fr[fr.dropped == 0], fr[fr.dropped == 1]
    assert list(done.frame) == list(range(8))
    assert list(dropped.frame) == [8, 9]
    assert (dropped.drop_stage == 1).all()
    assert dropped.s1_start_s.isna().all()
    summary = tr.summary.iloc[0]
    assert summary.completed == 8 and summary.dropped == 2


def test_the_mean_latency_of_a_batch_is_the_analytic_one(partsim, tmp_path, run_scenario):
    # 2 fps, far below the ECU's rate: a frame waits for its batch to fill ((N - 1) / 2 fps on
    # average) and for the batch to be computed (N x the per-frame time)
    _, tr = run_scenario(scenario(frames=12))
    c = explore_candidate(partsim, tmp_path, scenario(frames=12))
    assert tr.frames.latency_s.mean() == pytest.approx(c["latency_s"], rel=1e-6)
    per_frame = stage1_cost(partsim, "latency_s", True)
    assert c["s1_latency_s"] == pytest.approx(N * per_frame + (N - 1) / (2 * 2.0), rel=1e-9)


@pytest.mark.parametrize("batch", [None, FC_BATCH])
def test_the_simulated_throughput_is_the_analytic_one_with_one_camera(
        partsim, tmp_path, run_scenario, batch):
    # 30 fps offers more than the ECU runs; drop-oldest sheds the rest
    text = scenario(batch=batch, fps=30.0, frames=240, depth=2 * N)
    _, tr = run_scenario(text)
    c = explore_candidate(partsim, tmp_path, text)
    assert (tr.frames.dropped == 1).sum() > 0
    rate = 1 / stage1_cost(partsim, "latency_s", batch is not None)   # Kreß 2024 Def. 4
    assert c["throughput_fps"] == pytest.approx(rate, rel=1e-9)
    assert steady_throughput(completions(tr.frames)) == pytest.approx(c["throughput_fps"],
                                                                      rel=0.01)


def test_batch_1_is_the_trace_without_the_key(run_scenario):
    _, plain = run_scenario(scenario(batch=None, frames=6))
    _, one = run_scenario(scenario(batch="1", frames=6), name="one.yaml")
    assert plain.keys == one.keys
    for name in sorted(plain.keys):
        assert_same_table(plain.tables[name], one.tables[name], name)


def test_set_batch_is_the_key_in_the_file(run_scenario):
    _, in_file = run_scenario(scenario(frames=8))
    _, by_set = run_scenario(scenario(batch="{}", frames=8).replace(", batch: {}", ""),
                             "--set", f"accelerators.a1.batch={FC_BATCH}", name="set.yaml")
    for name in sorted(in_file.keys):
        assert_same_table(in_file.tables[name], by_set.tables[name], name)


@pytest.mark.parametrize("batch, depth, key, message", [
    ("{frames: 0, from: " + FC1 + "}", N, "frames: ", "'0' is not a whole number from 1 to 4096"),
    ("5000", N, "batch: ", "'5000' is not a whole number from 1 to 4096"),
    ("{frames: 4, from: /classifier/classifier.9/Gemm}", N, "from: ",
     "no layer '/classifier/classifier.9/Gemm' in the model"),
    ("{frames: 4, form: " + FC1 + "}", N, "form", "unknown key 'form' in batch: did you mean 'from'"),
    ("{frames: 4, from: /classifier/classifier.6/Gemm, until: " + FC1 + "}", N, "batch: ",
     "batch: no layer from position"),
    (FC_BATCH, 2, "depth: ", "the queue depth (2) must be at least 4"),
])
def test_a_bad_batch_is_refused_naming_the_place(run_scenario, batch, depth, key, message):
    """The message names file:line:column of the value (of the key when it is unknown)."""
    text = scenario(batch=batch, depth=depth)
    proc, _ = run_scenario(text, check=False)
    assert proc.returncode != 0
    assert message in proc.stderr
    line = next(i for i, l in enumerate(text.splitlines(), 1)
                if ("queue:" in l if key == "depth: " else "a1: {" in l))
    at = text.splitlines()[line - 1].index(key) + 1
    column = at if key == "form" else at + len(key)
    assert f"s.yaml:{line}:{column}: " in proc.stderr
