"""When a source's cameras capture: `phase: aligned` (all at once, the default), `random`
(each at its own seeded offset within one period) or a time step between cameras."""
import numpy as np
import pytest

N_CAMS, FPS = 8, 10.0


def scenario(phase_line, seed=5):
    return f"""\
name: sources
seed: {seed}
workload: {{model: squeezenet1_1, bits: 8}}
accelerators:
  acc: eyeriss-v1
nodes:
  - {{name: cam, count: {N_CAMS}, accelerator: acc}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: {FPS} fps, frames: 3{phase_line}}}
    stages:
      - {{node: cam}}
"""


def first_captures(run_scenario, phase_line, seed=5):
    _, tr = run_scenario(scenario(phase_line, seed))
    fr = tr.frames
    assert len(fr) == N_CAMS * 3
    first = fr[fr.frame == 0].sort_values("source")
    # every later frame of a camera keeps its phase: capture = phase + k / fps
    for src, g in fr.groupby("source"):
        caps = np.sort(g.capture_s.to_numpy())
        assert np.diff(caps) == pytest.approx(1 / FPS)
    return first.capture_s.to_numpy()


def test_aligned_is_the_default_and_captures_together(run_scenario):
    assert (first_captures(run_scenario, "") == 0).all()
    assert (first_captures(run_scenario, ", phase: aligned") == 0).all()


def test_a_step_offsets_camera_i_by_i_steps_modulo_the_period(run_scenario):
    caps = first_captures(run_scenario, ", phase: 30 ms")
    expected = np.mod(np.arange(N_CAMS) * 0.030, 1 / FPS)
    assert caps == pytest.approx(expected, abs=1e-12)


def test_random_spreads_cameras_over_one_period_reproducibly(run_scenario):
    caps = first_captures(run_scenario, ", phase: random")
    assert ((caps >= 0) & (caps < 1 / FPS)).all()
    assert len(set(np.round(caps, 9))) == N_CAMS          # all different
    assert np.ptp(caps) > 0.5 / FPS                        # spread, not clustered
    assert (first_captures(run_scenario, ", phase: random") == caps).all()   # same seed
    assert not (first_captures(run_scenario, ", phase: random", seed=6) == caps).all()


def test_a_bad_phase_names_the_line_and_the_choices(partsim, run_scenario):
    proc, _ = run_scenario(scenario(", phase: sometimes"), check=False)
    assert proc.returncode == 1
    assert "s.yaml:" in proc.stderr and "phase must be aligned, random or a time" in proc.stderr


def closed_loop(until, frames=40):
    return f"""\
name: saturate
workload: {{model: alexnet, bits: 8}}
accelerators:
  a: eyeriss-v1
  g: jetson-xavier-nx
nodes:
  - {{name: cam, accelerator: a}}
  - {{name: ecu, accelerator: g}}
network:
  links:
    - {{from: cam, to: ecu, type: 100BASE-TX}}
pipelines:
  - name: p
    source: {{nodes: cam, fps: max, frames: {frames}}}
    stages:
      - {{node: cam, until: {until}}}
      - {{node: ecu}}
    compression: raw
"""


def test_fps_max_captures_when_the_previous_frame_has_left_the_camera(partsim, run_scenario):
    """Closed loop: the camera's stage and the transfer out of it run back to back, so the
    saturation throughput is 1 / (camera stage + transfer): measured, not computed."""
    from conftest import accel_prefix, cut_bytes_raw, link_doc
    for until in (0, 3):
        _, tr = run_scenario(closed_loop(until), name=f"c{until}.yaml")
        fr = tr.frames.sort_values("frame")
        assert (fr.dropped == 0).all() and len(fr) == 40
        payload = cut_bytes_raw(partsim, "alexnet", 8)[until]
        transfer = link_doc(partsim, "100BASE-TX", payload)["time_s"]
        M = len(cut_bytes_raw(partsim, "alexnet", 8)) - 1
        stage0 = accel_prefix(partsim, "eyeriss-v1", "alexnet", 8, "latency_s", M)[until]
        gaps = fr.capture_s.diff().dropna().to_numpy()
        assert gaps == pytest.approx(stage0 + transfer, rel=1e-3)
        # each capture follows the previous frame's transfer out of the camera
        assert fr.capture_s.to_numpy()[1:] == pytest.approx(fr.t1_end_s.to_numpy()[:-1],
                                                            abs=1e-9)


def test_fps_max_needs_an_end_and_takes_no_phase(run_scenario):
    proc, _ = run_scenario(closed_loop(0).replace(", frames: 40", ""), check=False)
    assert proc.returncode == 1 and "fps: max needs an end" in proc.stderr
    proc, _ = run_scenario(closed_loop(0).replace("frames: 40", "frames: 4, phase: random"),
                           check=False, name="p.yaml")
    assert proc.returncode == 1 and "neither jitter nor phase" in proc.stderr
