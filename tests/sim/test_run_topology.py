"""Large topologies from one number: counts {per, of} another group, switch groups, and
many-to-many links that spread the larger end over the smaller in blocks."""
import pytest


def links_of(run_scenario, repo, cams, duration="0.2 s"):
    text = (repo / "platforms" / "examples" / "city-block.yaml").read_text()
    proc, tr = run_scenario(text.replace("duration: 5 s", f"duration: {duration}"),
                            "--set", f"nodes.0.count={cams}")
    return proc, tr


def test_one_count_rescales_the_edges_switches_and_links(run_scenario, repo):
    _, tr = links_of(run_scenario, repo, 40)
    names = list(tr.links.name)
    # 40 cameras over ceil(40/16) = 3 poles, spread as evenly as possible in consecutive
    # blocks (camera i on pole i * 3 // 40: 14, 13, 13), 3 poles over 1 block,
    # ceil(40/8) = 5 edges on the core
    assert names[:40] == [f"cam{i}-pole{i * 3 // 40}" for i in range(40)]
    assert names[40:43] == ["pole0-block0", "pole1-block0", "pole2-block0"]
    assert names[43:] == ["block0-core"] + [f"edge{e}-core" for e in range(5)]
    nodes = list(tr.nodes.name)
    assert nodes == [f"cam{i}" for i in range(40)] + [f"edge{e}" for e in range(5)]
    fr = tr.frames
    assert set(fr.s1_node) == set(range(40, 45))   # least-loaded uses the whole group


def test_many_to_many_spreads_in_order_and_a_bad_count_names_its_group(run_scenario):
    text = """\
name: spread
duration: 0.1 s
workload: {model: squeezenet1_1, bits: 8}
accelerators: {a: eyeriss-v1}
nodes:
  - {name: cam, count: 5, accelerator: a}
network:
  switches:
    - {name: sw, count: 2}
  links:
    - {from: sw*, to: cam*, type: 1000BASE-T}
    - {from: sw0, to: sw1, type: 10GBASE-T}
pipelines:
  - name: p
    source: {nodes: cam*, fps: 10 fps}
    stages: [{node: cam}]
"""
    _, tr = run_scenario(text)
    # the larger end (5 cameras) spread over the smaller (2 switches): camera i on switch
    # i * 2 // 5, so 0-2 -> sw0, 3-4 -> sw1
    assert list(tr.links.name) == ["sw0-cam0", "sw0-cam1", "sw0-cam2", "sw1-cam3", "sw1-cam4",
                                   "sw0-sw1"]
    bad = text.replace("{name: sw, count: 2}", "{name: sw, count: {per: 2, of: camera}}")
    proc, _ = run_scenario(bad, check=False, name="bad.yaml")
    assert proc.returncode == 1
    assert "bad.yaml:" in proc.stderr and "no node or switch group 'camera'" in proc.stderr
