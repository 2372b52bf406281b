"""Which member of a node group takes a frame: `dispatch: static` (camera i -> member i mod
G), `round-robin`, `least-loaded`; the member that ran each stage is in /frames."""
import pytest


def scenario(dispatch, cams=1, fps=76, frames=12):
    line = f", dispatch: {dispatch}" if dispatch else ""
    return f"""\
name: dispatch
seed: 2
workload: {{model: squeezenet1_1, bits: 8}}
accelerators:
  acc: eyeriss-v1
nodes:
  - {{name: cam, count: {cams}, accelerator: acc}}
  - {{name: edge, count: 3, accelerator: acc}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T}}
    - {{from: edge*, to: sw0, type: 1000BASE-T}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: {fps} fps, frames: {frames}}}
    stages:
      - {{node: cam, until: 0}}
      - {{node: edge{line}}}
    queue: {{depth: 16, policy: block}}
"""


def members(run_scenario, dispatch, **kw):
    """The edge (0, 1, 2) that ran stage 1 of each frame, in capture order."""
    _, tr = run_scenario(scenario(dispatch, **kw))
    names = list(tr.nodes.name)
    fr = tr.frames.sort_values(["capture_s", "source"])
    assert (fr.dropped == 0).all()
    return [int(names[n][len("edge"):]) for n in fr.s1_node]


# The edge needs about 20 ms per frame (the whole of SqueezeNet on Eyeriss),
# the camera sends one every 13 ms: a member is still busy when the next
# frame comes, and free again for the one after.

def test_static_sends_every_frame_of_a_camera_to_one_member(run_scenario):
    assert set(members(run_scenario, None)) == {0}
    assert set(members(run_scenario, "static")) == {0}
    assert members(run_scenario, "static", cams=3, fps=5, frames=2) == [0, 1, 2, 0, 1, 2]


def test_round_robin_takes_the_members_in_turn(run_scenario):
    assert members(run_scenario, "round-robin") == [0, 1, 2] * 4


def test_least_loaded_takes_the_member_with_the_fewest_frames_ties_to_the_lowest(run_scenario):
    # frame 0 -> edge0; frame 1 arrives while edge0 runs -> edge1; frame 2 after edge0 is
    # done -> edge0 again: the third member is never needed
    got = members(run_scenario, "least-loaded")
    assert got == [0, 1] * 6


def test_least_loaded_keeps_up_where_static_queues(run_scenario):
    _, st = run_scenario(scenario("static"))
    _, ll = run_scenario(scenario("least-loaded"), name="ll.yaml")
    assert ll.frames.latency_s.max() < 0.5 * st.frames.latency_s.max()


def test_a_bad_dispatch_names_the_choices_and_the_closest(run_scenario):
    proc, _ = run_scenario(scenario("round-robbin"), check=False)
    assert proc.returncode == 1
    assert "s.yaml:" in proc.stderr and "did you mean 'round-robin'?" in proc.stderr
