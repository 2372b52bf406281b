"""Overload: a link slower than the frame rate is a warning and the run shows it (the send
queue fills to its bound and drops, by its policy, recorded as NIC drops); a full-duplex
link's utilisation is per direction; memory stays flat under sustained overload."""
import os
import re
import subprocess

import pytest


def scenario(fps, duration="2 s", send_queue="", depth=4):
    sq = f", send_queue: {send_queue}" if send_queue else ""
    return f"""\
name: overload
seed: 4
duration: {duration}
workload: {{model: vgg16, bits: 8}}
accelerators:
  a: eyeriss-v1
  g: jetson-xavier-nx
nodes:
  - {{name: cam, accelerator: g{sq}}}
  - {{name: ecu, accelerator: g}}
network:
  links:
    - {{from: cam, to: ecu, type: 100BASE-TX}}
pipelines:
  - name: p
    source: {{nodes: cam, fps: {fps} fps}}
    stages:
      - {{node: cam, until: 0}}
      - {{node: ecu}}
    compression: raw
    queue: {{depth: {depth}, policy: drop-oldest}}
"""


# raw VGG-16 input at 8 bit: 150,528 B, about 12.4 ms on 100BASE-TX with framing:
# 80 frames/s fit, 120 do not

def test_a_link_slower_than_the_frame_rate_warns_and_its_send_queue_drops(run_scenario):
    proc, tr = run_scenario(scenario(fps=120, send_queue="{depth: 8, policy: drop-oldest}"))
    assert "warning" in proc.stderr and "cannot carry the frame rate" in proc.stderr
    assert "cam-ecu" in proc.stderr
    fr = tr.frames
    nic = fr[(fr.dropped == 1) & (fr.drop_nic == 1)]
    # stage 0 (on the camera, nothing to compute) sends the image to stage 1: the frames
    # the NIC drops were on their way to stage 1
    assert len(nic) > 0 and (nic.drop_stage == 1).all()
    # the link is saturated: what got through is what it can carry
    done = fr[fr.dropped == 0]
    per_frame = (done.t1_end_s - done.t1_start_s).median()
    assert len(done) / 2.0 == pytest.approx(1 / per_frame, rel=0.05)
    assert tr.summary.dropped_nic[0] == len(nic)
    assert tr.links.utilization_ab[0] > 0.95 and tr.links.utilization_ba[0] == 0


def test_drop_newest_keeps_the_oldest_and_block_delays_the_camera(run_scenario):
    _, new = run_scenario(scenario(fps=120, send_queue="{depth: 8, policy: drop-newest}"),
                          name="new.yaml")
    _, old = run_scenario(scenario(fps=120, send_queue="{depth: 8, policy: drop-oldest}"),
                          name="old.yaml")
    dn, do = new.frames, old.frames
    assert (dn.drop_nic == 1).any() and (do.drop_nic == 1).any()
    # drop-newest delivers the early frames, which waited in a full queue: higher latency
    assert dn[dn.dropped == 0].latency_s.median() > do[do.dropped == 0].latency_s.median() * 0.9
    _, blk = run_scenario(scenario(fps=120, send_queue="{depth: 8, policy: block}"),
                          name="blk.yaml")
    assert (blk.frames.drop_nic == 0).all()


def test_a_link_that_keeps_up_drops_nothing_at_the_nic(run_scenario):
    proc, tr = run_scenario(scenario(fps=40))
    assert "cannot carry" not in proc.stderr
    assert (tr.frames.dropped == 0).all()


DUPLEX = """\
name: duplex
duration: 1 s
workload: {model: alexnet, bits: 8}
accelerators:
  g: jetson-xavier-nx
nodes:
  - {name: a, accelerator: g}
  - {name: b, accelerator: g}
network:
  links:
    - {from: a, to: b, type: 100BASE-TX}
pipelines:
  - name: ab
    source: {nodes: a, fps: 60 fps}
    stages:
      - {node: a, until: 0}
      - {node: b}
    compression: raw
  - name: ba
    source: {nodes: b, fps: 60 fps}
    stages:
      - {node: b, until: 0}
      - {node: a}
    compression: raw
"""


def test_full_duplex_utilisation_is_per_direction_each_at_most_one(run_scenario):
    _, tr = run_scenario(DUPLEX)
    ln = tr.links.iloc[0]
    # 60 raw AlexNet inputs (150,528 B) per second each way: about 74 % of 100 Mb/s each
    assert ln.utilization_ab == pytest.approx(ln.utilization_ba, rel=0.02)
    assert 0.6 < ln.utilization_ab < 1.0
    assert ln.utilization == pytest.approx(max(ln.utilization_ab, ln.utilization_ba))
    assert ln.busy_ab_s + ln.busy_ba_s > 1.0 * tr.summary.frames.sum() / 120   # both counted


def rss_kb(partsim, path):
    proc = subprocess.run(["/usr/bin/time", "-f", "RSS %M", partsim.binary, "run", path,
                           "--no-trace", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return int(re.search(r"RSS (\d+)", proc.stderr).group(1))


MANY = """\
name: overload-many
seed: 4
duration: {seconds} s
workload: {{model: vgg16, bits: 8}}
accelerators:
  g: jetson-xavier-nx
nodes:
  - {{name: cam, count: 16, accelerator: g{send_queue}}}
  - {{name: ecu, accelerator: g}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 100BASE-TX}}
    - {{from: sw0, to: ecu, type: 10GBASE-T}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: 120 fps, phase: random}}
    stages:
      - {{node: cam, until: 0}}
      - {{node: ecu}}
    compression: raw
"""


@pytest.mark.skipif(os.environ.get("PARTSIM_ASAN") == "1",
                    reason="AddressSanitizer keeps freed memory in quarantine: RSS is not the "
                           "program's (make asan)")
def test_memory_stays_flat_under_sustained_overload(partsim, tmp_path):
    """16 cameras, each at 150 % of its link's capacity, for 10 s and for 100 s simulated: the
    queues are bounded, so peak memory differs by less than 10 %.  With an unbounded send
    queue (depth 2^20 stands for one) the backlog of 100 s shows."""
    def peak(seconds, send_queue=""):
        path = tmp_path / f"m{seconds}{len(send_queue)}.yaml"
        path.write_text(MANY.format(seconds=seconds, send_queue=send_queue))
        return rss_kb(partsim, path)
    short, long = peak(10), peak(100)
    assert long < 1.10 * short, (short, long)
    unbounded = ", send_queue: {depth: 1048576}"
    assert peak(100, unbounded) > 1.2 * peak(10, unbounded)
