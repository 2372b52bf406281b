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
