"""Scenarios far past SimGrid's defaults run without any SimGrid flag: actors grow with
cameras (not cameras squared) and their stacks fit Linux's mapping limit."""

# three pipelines over the same cameras, each camera running its own (only) stage: one actor per
# camera and pipeline, 33,000 actors, past the ~30,000 that guard pages allow
N_CAMS = 11000

SCENARIO = f"""\
name: many-actors
duration: 1 s
workload: {{model: squeezenet1_1, bits: 8}}
accelerators:
  acc: eyeriss-v1
nodes:
  - {{name: cam, count: {N_CAMS}, accelerator: acc}}
  - {{name: ecu, accelerator: acc}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T}}
    - {{from: sw0, to: ecu, type: 10GBASE-T}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: 1 fps, frames: 1, phase: random}}
    stages:
      - {{node: cam}}
  - name: p2
    source: {{nodes: cam*, fps: 1 fps, frames: 1, phase: random}}
    stages:
      - {{node: cam}}
  - name: p3
    source: {{nodes: cam*, fps: 1 fps, frames: 1, phase: random}}
    stages:
      - {{node: cam}}
  - name: q
    source: {{nodes: cam0, fps: 10 fps, frames: 5}}
    stages:
      - {{node: cam0, until: 10}}
      - {{node: ecu}}
"""


def test_eleven_thousand_cameras_run_with_no_simgrid_flag(partsim, tmp_path):
    scn = tmp_path / "many.yaml"
    scn.write_text(SCENARIO)
    proc = partsim("run", scn, "--no-trace", "--quiet")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines()[2:6]}
    for p in ("p", "p2", "p3"):
        assert rows[p][1:4] == [str(N_CAMS), str(N_CAMS), "0"]   # frames, completed, dropped
    assert rows["q"][1:4] == ["5", "5", "0"]                   # the network still carries frames
