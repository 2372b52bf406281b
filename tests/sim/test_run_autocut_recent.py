"""Runtime partitioning with the bit rate from recent transfers (`rate: recent`):
under contention the rate a camera achieves is a quarter of the link's, and the
latency policy moves the cut to send less; with the link's nominal rate it keeps
sending the raw image and every frame waits for the shared uplink."""
import h5py
import pandas as pd

SCENARIO = """
name: rr
seed: 1
duration: 2 s
workload: {{model: squeezenet1_1, bits: 8}}
accelerators:
  acc: {{preset: eyeriss-v1}}
  gpu: jetson-xavier-nx
nodes:
  - {{name: cam, count: 4, accelerator: acc}}
  - {{name: ecu, accelerator: gpu}}
network:
  switches: [sw]
  links:
    - {{from: cam*, to: sw, type: 1000BASE-T, length: 5 m}}
    - {{from: sw, to: ecu, type: 100BASE-TX, length: 5 m}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: 10 fps}}
    stages:
      - {{node: cam, until: {{auto: latency, rate: {rate}}}}}
      - {{node: ecu}}
    queue: {{depth: 8, policy: drop-oldest}}
"""


def run(partsim, tmp_path, rate):
    scn = tmp_path / f"{rate}.yaml"
    scn.write_text(SCENARIO.format(rate=rate))
    out = tmp_path / f"{rate}.h5"
    p = partsim("run", scn, "-o", out, "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        return pd.DataFrame(f["frames"][:]).sort_values("capture_s")


def test_recent_rate_sees_contention_and_moves_the_cut(partsim, tmp_path):
    link = run(partsim, tmp_path, "link")
    recent = run(partsim, tmp_path, "recent")
    # the nominal 100 Mb/s makes sending the raw image (position 0) look fastest
    assert set(link.cut) == {0}
    # the first frames (no transfer seen yet) use the link rate too, then the cut moves
    first = recent.groupby("source").head(1)
    assert set(first.cut) == {0}
    later = recent.drop(first.index)
    assert (later.cut > 0).all()
    # and the frames get through the shared uplink much faster
    assert later.latency_s.mean() < 0.5 * link.latency_s.mean()


def test_rate_takes_link_or_recent(partsim, tmp_path):
    scn = tmp_path / "bad.yaml"
    scn.write_text(SCENARIO.format(rate="measured"))
    p = partsim("run", scn, "-o", tmp_path / "bad.h5", "--quiet")
    assert p.returncode == 1
    assert "bad.yaml:21:50:" in p.stderr and "rate takes link" in p.stderr
