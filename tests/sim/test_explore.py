"""`partsim explore`: every placement of a pipeline's cut points, evaluated analytically.

The expected values are rebuilt here from the per-layer tables of `partsim accel`, the cut-set
bytes and memory of `partsim layers` and the link model of `partsim link` (other code paths than
the exploration's prefix sums, sparse tables and precomputed transfers), then compared candidate
by candidate; the Pareto front is checked against a brute-force O(n^2) front of those values."""
import functools
import itertools
import json
import math
import signal
import subprocess
import time

import pytest

from conftest import accel_prefix, cut_bytes_raw, link_doc

MODEL, BITS = "alexnet", 8


def chain(stages=3, fps=10, link="1000BASE-T", extra=""):
    """cam -> gw -> ecu (or cam -> ecu), every node on one switch (routes of two hops)."""
    nodes = ["  - {name: cam, accelerator: sensor}", "  - {name: gw, accelerator: mid}",
             "  - {name: ecu, accelerator: edge}"]
    st = ["      - {node: cam, until: 3}", "      - {node: gw, until: 10}", "      - {node: ecu}"]
    if stages == 2:
        st = ["      - {node: cam, until: 3}", "      - {node: ecu}"]
    nl = "\n"
    return f"""\
name: chain
duration: 1 s
workload: {{model: {MODEL}, bits: {BITS}}}
accelerators:
  sensor: eyeriss-v1
  mid: simba-chiplet
  edge: jetson-xavier-nx
nodes:
{nl.join(nodes)}
network:
  switches: [sw]
  links:
    - {{from: cam, to: sw, type: {link}, length: 4 m}}
    - {{from: gw, to: sw, type: {link}, length: 4 m}}
    - {{from: ecu, to: sw, type: 10GBASE-T, length: 4 m}}
pipelines:
  - name: p
    source: {{nodes: cam, fps: {fps} fps}}
    stages:
{nl.join(st)}
    compression: raw
{extra}"""


@pytest.fixture
def explore(partsim, tmp_path):
    def run(text, *args, check=True):
        scn = tmp_path / "s.yaml"
        scn.write_text(text)
        proc = partsim("explore", scn, *args)
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc
    return run


def explore_json(explore, text, *args):
    return json.loads(explore(text, "--format", "json", *args).stdout)


@functools.lru_cache(maxsize=None)
def transfer_time(partsim, payload, first, second):
    """Two hops through the switch: the sender's link sets the framing; the slower link the rate;
    the switch stores and forwards one full frame at the egress rate (docs/SIMULATION.md)."""
    if payload == 0:
        return 0.0
    rates = {"1000BASE-T": 1e9, "10GBASE-T": 10e9}
    wire = link_doc(partsim, first, payload)["wire_bytes"]
    lat = link_doc(partsim, first, 1, 4)["time_s"] - link_doc(partsim, first, 1)["time_s"]
    lat += link_doc(partsim, second, 1, 4)["time_s"] - link_doc(partsim, second, 1)["time_s"]
    return wire * 8 / min(rates[first], rates[second]) + lat + 1538 * 8 / rates[second]


def expected(partsim, stages, positions):
    """Every candidate of the chain, computed from the per-layer tables."""
    if stages == 3:
        archs = ["eyeriss-v1", "simba-chiplet", "jetson-xavier-nx"]
        links = ["1000BASE-T", "1000BASE-T", "10GBASE-T"]   # each node's link to the switch
    else:
        archs = ["eyeriss-v1", "jetson-xavier-nx"]
        links = ["1000BASE-T", "10GBASE-T"]
    cut = cut_bytes_raw(partsim, MODEL, BITS)
    M = len(cut) - 1
    lat = [accel_prefix(partsim, a, MODEL, BITS, "latency_s", M) for a in archs]
    en = [accel_prefix(partsim, a, MODEL, BITS, "energy_j", M) for a in archs]
    out = {}
    for cuts in itertools.combinations_with_replacement(positions, stages - 1):
        bounds = [0, *cuts, M]
        c = {"latency_s": 0.0, "period_s": 0.0, "energy_j": 0.0, "sensor_energy_j": 0.0,
             "link_bytes": 0.0}
        prev = None   # the camera is stage 0's node: its image needs no transfer
        for k in range(stages):
            a, b = bounds[k], bounds[k + 1]
            if a == b:
                continue
            if k > 0:   # stage 0 runs on the camera: its image needs no transfer
                sender = 0 if prev is None else prev
                t = transfer_time(partsim, cut[a], links[sender], links[k])
                c["latency_s"] += t
                c["period_s"] = max(c["period_s"], t)
                c["link_bytes"] += cut[a]
            d = lat[k][b] - lat[k][a]
            e = en[k][b] - en[k][a]
            c["latency_s"] += d
            c["period_s"] = max(c["period_s"], d)
            c["energy_j"] += e
            if k == 0:
                c["sensor_energy_j"] += e
            prev = k
        out[";".join(map(str, cuts))] = c
    return out, M


def pareto(points, keys):
    """Brute force: the points no other point dominates (minimising every key)."""
    front = set()
    for p, v in points.items():
        dominated = any(all(w[k] <= v[k] for k in keys) and any(w[k] < v[k] for k in keys)
                        for q, w in points.items() if q != p)
        if not dominated:
            front.add(p)
    return front


def test_every_candidate_matches_the_per_layer_tables_and_the_front_is_the_brute_force_one(
        partsim, explore):
    layers = partsim.json("layers", MODEL, "--bits", BITS)
    single = [r["index"] for r in layers["layers"] if r["single_tensor_cut"]]
    M = len(layers["layers"])
    positions = sorted({0, M, *single})
    doc = explore_json(explore, chain(), "--positions", "single", "--objectives",
                       "latency,energy")
    exp, M2 = expected(partsim, 3, positions)
    assert M2 == M
    got = {c["cuts"]: c for c in doc["candidates"]}
    P = len(positions)
    assert doc["evaluated"] == len(got) == len(exp) == P * (P + 1) // 2
    for key, e in exp.items():
        g = got[key]
        assert g["latency_s"] == pytest.approx(e["latency_s"], rel=1e-9), key
        assert g["throughput_fps"] == pytest.approx(1 / e["period_s"], rel=1e-9), key
        # energy: stages exactly; the PHY's active energy of each hop on top
        assert g["energy_j"] >= e["energy_j"] * (1 - 1e-12)
        assert g["link_bytes"] == pytest.approx(e["link_bytes"], rel=1e-12), key
    # the front under (latency, energy) of the values rebuilt here, link energy included
    pts = {key: {"latency_s": e["latency_s"], "energy_j": got[key]["energy_j"]}
           for key, e in exp.items()}
    brute = pareto(pts, ["latency_s", "energy_j"])
    assert {c["cuts"] for c in doc["front"]} == brute
    assert {c["cuts"] for c in doc["candidates"] if c["front"]} == brute


def test_the_camera_energy_is_its_stage_and_what_it_sends(partsim, explore):
    doc = explore_json(explore, chain(stages=2), "--positions", "single")
    cut = cut_bytes_raw(partsim, MODEL, BITS)
    M = len(cut) - 1
    en = accel_prefix(partsim, "eyeriss-v1", MODEL, BITS, "energy_j", M)
    for c in doc["candidates"]:
        q = int(c["cuts"])
        # only the camera's own PHY: the first hop (the switch's egress is not the camera's)
        sent = link_doc(partsim, "1000BASE-T", cut[q])["active_energy_j"] if q < M else 0
        assert c["sensor_energy_j"] == pytest.approx(en[q] + sent, rel=1e-4, abs=1e-15), q
        assert c["t1_energy_j"] > sent * (1 - 1e-4) if q < M else c["t1_energy_j"] == 0


def test_baselines_are_the_single_platform_candidates_and_gains_are_relative_to_the_best(
        explore):
    doc = explore_json(explore, chain(), "--positions", "single")
    base = doc["baselines"]
    assert [b["platforms"] for b in base] == ["cam", "gw", "ecu"]
    M = int(base[0]["cuts"].split(";")[0])
    assert [b["cuts"] for b in base] == [f"{M};{M}", f"0;{M}", "0;0"]
    got = {c["cuts"]: c for c in doc["candidates"]}
    for b in base:
        assert got[b["cuts"]]["latency_s"] == b["latency_s"]
    best_lat = min(b["latency_s"] for b in base)
    best_thr = max(b["throughput_fps"] for b in base)
    best_e = min(b["energy_j"] for b in base)
    for c in doc["front"]:
        assert c["latency_gain_pct"] == pytest.approx(100 * (best_lat - c["latency_s"]) / best_lat)
        assert c["throughput_gain_pct"] == pytest.approx(100 * (c["throughput_fps"] / best_thr - 1))
        assert c["energy_gain_pct"] == pytest.approx(100 * (best_e - c["energy_j"]) / best_e)


@pytest.mark.parametrize("model", ["kress", "autodice", "peak"])
def test_memory_per_platform_is_the_layers_commands_for_a_two_platform_chain(
        partsim, explore, model):
    layers = partsim.json("layers", MODEL, "--bits", BITS, "--memory")
    rows = {r["index"]: r for r in layers["layers"]}
    doc = explore_json(explore, chain(stages=2), "--memory-model", model)
    M = len(rows)
    for c in doc["candidates"]:
        q = int(c["cuts"])
        if not 0 < q < M:
            continue   # one platform: layers has no split row for it
        # layers' row q holds the two platforms' memory when the model is cut after q
        assert c["s0_memory_bytes"] == rows[q][f"mem_a_{model}_bytes"], q
        assert c["s1_memory_bytes"] == rows[q][f"mem_b_{model}_bytes"], q
        assert c["memory_bytes"] == max(c["s0_memory_bytes"], c["s1_memory_bytes"]), q


def test_constraints_remove_exactly_the_candidates_over_their_bounds(explore):
    free = explore_json(explore, chain(), "--positions", "single")
    lats = sorted(c["latency_s"] for c in free["candidates"])
    bound = lats[len(lats) // 2]
    mem = sorted(c["s0_memory_bytes"] for c in free["candidates"])[len(lats) // 3]
    doc = explore_json(explore, chain(), "--positions", "single", "--max-latency",
                       f"{bound * 1e3!r}ms", "--max-memory", f"cam={int(mem)}B")
    over_lat = sum(c["latency_s"] > bound * (1 + 1e-12) for c in free["candidates"])
    over_mem = sum(c["s0_memory_bytes"] > mem for c in free["candidates"])
    assert doc["constraints"]["latency"] == over_lat > 0
    assert doc["constraints"]["memory"] == over_mem > 0
    feasible = [c for c in free["candidates"]
                if c["latency_s"] <= bound * (1 + 1e-12) and c["s0_memory_bytes"] <= mem]
    assert doc["feasible"] == len(feasible)
    assert all(c["feasible"] for c in doc["front"])
    assert {c["cuts"] for c in doc["candidates"] if c["feasible"]} == \
        {c["cuts"] for c in feasible}


def test_a_link_too_slow_for_the_frame_rate_removes_the_cuts_it_cannot_carry(
        partsim, explore):
    # 100BASE-TX at 120 fps carries at most 104 kB of wire bytes per frame
    doc = explore_json(explore, chain(stages=2, fps=120, link="100BASE-TX"), "--positions",
                       "single")
    for c in doc["candidates"]:
        too_big = c["t1_bps"] > 100e6
        assert c["feasible"] == (not too_big), c["cuts"]
    assert doc["constraints"]["link"] == sum(c["t1_bps"] > 100e6 for c in doc["candidates"]) > 0
    off = explore_json(explore, chain(stages=2, fps=120, link="100BASE-TX"), "--positions",
                       "single", "--no-link-check")
    assert off["constraints"]["link"] == 0 and off["feasible"] == off["evaluated"]


def test_the_pick_minimises_the_weighted_sum_relative_to_the_best_single_platform(explore):
    doc = explore_json(explore, chain(), "--positions", "single", "--objectives",
                       "latency,energy", "--weights", "latency=1,energy=3")
    base = doc["baselines"]
    rl = min(b["latency_s"] for b in base)
    re_ = min(b["energy_j"] for b in base)
    score = {c["cuts"]: c["latency_s"] / rl + 3 * c["energy_j"] / re_ for c in doc["front"]}
    assert doc["pick"]["cuts"] == min(score, key=score.get)


def test_the_analytic_latency_is_the_simulated_one_without_contention(
        partsim, explore, tmp_path):
    doc = explore_json(explore, chain(), "--positions", "single")
    # the fastest design that runs something on all three platforms
    pick = min((c for c in doc["candidates"] if c["platforms"] == "cam;gw;ecu"),
               key=lambda c: c["latency_s"])
    c0, c1 = pick["cuts"].split(";")
    text = chain().replace("until: 3}", f"until: {c0}}}").replace("until: 10}", f"until: {c1}}}")
    scn = tmp_path / "sim.yaml"
    scn.write_text(text.replace("fps: 10 fps}", "fps: 2 fps, frames: 3}"))
    out = tmp_path / "sim.h5"
    proc = partsim("run", scn, "-o", out, "--quiet", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)["summary"][0]
    assert summary["latency_p50_s"] == pytest.approx(pick["latency_s"], rel=1e-6)


def test_csv_has_decision_then_objective_columns_and_one_row_per_candidate(explore):
    proc = explore(chain(), "--positions", "single", "--format", "csv")
    lines = proc.stdout.splitlines()
    head = lines[0].split(",")
    assert head[:12] == ["cuts", "cut_layers", "platforms", "latency_s", "throughput_fps",
                         "energy_j", "sensor_energy_j", "link_bytes", "memory_bytes",
                         "feasible", "front", "latency_gain_pct"]
    doc = explore_json(explore, chain(), "--positions", "single")
    assert len(lines) - 1 == doc["evaluated"]
    fronts = sum(1 for ln in lines[1:] if ln.split(",")[head.index("front")] == "true")
    assert fronts == len(doc["front"])
    only = explore(chain(), "--positions", "single", "--format", "csv", "--front-only")
    assert len(only.stdout.splitlines()) - 1 == len(doc["front"])


def test_the_terminal_table_shows_baselines_front_and_pick(explore):
    out = explore(chain(), "--positions", "single").stdout
    assert "baselines (everything on one platform):" in out
    assert "Pareto front:" in out and "pick (weighted sum): cuts " in out
    assert "candidate(s) in" in out


@pytest.mark.parametrize("args, message", [
    (["--objectives", "speed"], "unknown objective 'speed'"),
    (["--weights", "latency"], "--weights takes OBJECTIVE=W"),
    (["--positions", "some"], "--positions takes all or single"),
    (["--max-memory", "nowhere=1MB"], "no platform of pipeline 'p' is that node"),
    (["--max-latency", "50"], "--max-latency '50': expected"),
    (["--pipeline", "q"], "has no pipeline 'q'"),
    (["--memory-model", "big"], "--memory-model takes kress, autodice or peak"),
    (["--validate", "0"], "--validate takes a number of designs"),
    (["--validate", "best"], "--validate takes a number of designs"),
    (["--jobs", "0"], "--jobs takes a whole number from 1"),
    (["--export-mapping", "tvm", "m.json"], "unknown format 'tvm' (expected autodice)"),
    (["--export-mapping", "autodice"], "--export-mapping takes a format and a file"),
])
def test_bad_options_are_refused_with_what_was_expected(explore, args, message):
    proc = explore(chain(), *args, check=False)
    assert proc.returncode in (1, 2)
    assert message in proc.stderr


def big_chain(tmp_path):
    """Eight stages over every position of ResNet-50: about 10^11 candidates, never finished."""
    stages = "\n".join(f"      - {{node: {n}}}" for n in ["cam"] + ["gw"] * 6 + ["ecu"])
    text = chain().split("    stages:")[0] + "    stages:\n" + stages.replace(
        "{node: cam}", "{node: cam, until: 1}") + "\n    compression: raw\n"
    for k in range(6):
        text = text.replace("      - {node: gw}", f"      - {{node: gw, until: {k + 2}}}", 1)
    scn = tmp_path / "big.yaml"
    scn.write_text(text.replace("model: alexnet", "model: resnet50"))
    return scn


def test_ctrl_c_keeps_what_was_evaluated(partsim, tmp_path):
    scn = big_chain(tmp_path)
    proc = subprocess.Popen([str(partsim.binary), "explore", str(scn), "--format", "json",
                             "--front-only", "--search", "exact"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    doc = json.loads(out)
    assert doc["interrupted"] is True
    assert 0 < doc["evaluated"] < 1e11
    assert len(doc["front"]) >= 1 and doc["pick"] is not None


def test_accuracy_from_a_csv_is_the_smallest_over_the_cut_points(partsim, explore, tmp_path):
    layers = partsim.json("layers", MODEL, "--bits", BITS)
    name3 = layers["layers"][2]["name"]          # the layer at position 3
    acc = tmp_path / "acc.csv"
    acc.write_text(f"cut,accuracy\n0,0.71\n{name3},0.62\n10,0.55\n")
    doc = explore_json(explore, chain(), "--positions", "all", "--accuracy", acc,
                       "--objectives", "latency,accuracy")
    table = {0: 0.71, 3: 0.62, 10: 0.55}
    for c in doc["candidates"]:
        cuts = [int(q) for q in c["cuts"].split(";")]
        known = [table[q] for q in cuts if q in table]
        if known:
            assert c["accuracy"] == pytest.approx(min(known)), c["cuts"]
        else:
            assert c["accuracy"] is None, c["cuts"]
    # a design of unknown accuracy counts as the worst: the front's known ones are not
    # dominated by any candidate that is at least as fast and as accurate
    known = [c for c in doc["candidates"] if c["accuracy"] is not None]
    for f in (c for c in doc["front"] if c["accuracy"] is not None):
        assert not any(k["latency_s"] <= f["latency_s"] and k["accuracy"] >= f["accuracy"] and
                       (k["latency_s"] < f["latency_s"] or k["accuracy"] > f["accuracy"])
                       for k in known)


@pytest.mark.parametrize("text, message", [
    ("cut,accuracy\nconv9,0.5\n", "acc.csv:2:1: cut: expected a position 0..20 or a layer name"),
    ("cut,accuracy\n3,1.5\n", "acc.csv:2:3: accuracy: expected a fraction from 0 to 1"),
    ("cut,acc\n3,0.5\n", "acc.csv:1"),
])
def test_a_bad_accuracy_file_names_the_line_and_column(explore, tmp_path, text, message):
    acc = tmp_path / "acc.csv"
    acc.write_text(text)
    proc = explore(chain(), "--accuracy", acc, check=False)
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr


def test_a_one_stage_pipeline_is_one_design_and_still_gets_a_pick(explore, tmp_path):
    text = chain(stages=2).replace("      - {node: cam, until: 3}\n", "")
    acc = tmp_path / "acc.csv"
    acc.write_text("cut,accuracy\n0,0.7\n")
    doc = explore_json(explore, text, "--objectives", "latency,accuracy", "--accuracy", acc)
    assert doc["evaluated"] == 1 and len(doc["front"]) == 1
    assert doc["pick"]["platforms"] == "ecu"        # every score infinite: still picked
    out = explore(text).stdout
    assert "pick: the one design, everything on ecu" in out


def test_a_relayed_transfer_counts_its_slower_hop_in_the_period(partsim, explore):
    # a chain without switches: cam -- gw -- ecu; skipping gw relays through it
    text = chain().replace("  switches: [sw]\n", "").replace(
        "    - {from: cam, to: sw, type: 1000BASE-T, length: 4 m}\n"
        "    - {from: gw, to: sw, type: 1000BASE-T, length: 4 m}\n"
        "    - {from: ecu, to: sw, type: 10GBASE-T, length: 4 m}\n",
        "    - {from: cam, to: gw, type: 1000BASE-T, length: 4 m}\n"
        "    - {from: gw, to: ecu, type: 1000BASE-T, length: 4 m}\n")
    doc = explore_json(explore, text, "--positions", "single")
    relayed = [c for c in doc["candidates"] if c["platforms"] == "cam;ecu"]
    assert relayed
    for c in relayed:
        hop = link_doc(partsim, "1000BASE-T", c["t2_bytes"] / 2, 4)["time_s"]
        assert c["t2_time_s"] == pytest.approx(2 * hop, rel=1e-9)       # latency: both hops
        period = max(c["s0_latency_s"], c["s2_latency_s"], hop)
        assert c["throughput_fps"] == pytest.approx(1 / period, rel=1e-9)


def design_key(c, M):
    """A design as (platforms, the positions each used platform ends at): the same design has the
    same key along the chain and assigned."""
    used = c["platforms"].split(";")
    cuts = [int(q) for q in c["cuts"].split(";")] if c["cuts"] else []
    return tuple(used), tuple(sorted({q for q in cuts if q > 0} | {M}))


OBJECTIVES = ["latency_s", "throughput_fps", "energy_j", "sensor_energy_j", "link_bytes",
              "memory_bytes"]


def test_assigning_platforms_meets_every_design_once_and_prices_it_as_the_chain_does(
        partsim, explore):
    layers = partsim.json("layers", MODEL, "--bits", BITS)
    M = len(layers["layers"])
    P = len({0, M,
             *(r["index"] for r in layers["layers"] if r["single_tensor_cut"])})
    chain_doc = explore_json(explore, chain(), "--positions", "single")
    doc = explore_json(explore, chain(), "--positions", "single", "--platforms", "cam,gw,ecu")
    inner = P - 2
    # L = 1, 2, 3 platforms in every order, with L - 1 increasing inner cuts
    assert doc["evaluated"] == 3 + 6 * inner + 6 * math.comb(inner, 2)
    keys = [design_key(c, M) for c in doc["candidates"]]
    assert len(set(keys)) == len(keys)
    assert [b["platforms"] for b in doc["baselines"]] == ["cam", "gw", "ecu"]
    # the designs in chain order are the chain's own candidates, with the same prices
    along = {design_key(c, M): c for c in chain_doc["candidates"]}
    met = 0
    for c in doc["candidates"]:
        used = c["platforms"].split(";")
        if used != sorted(used, key=["cam", "gw", "ecu"].index):
            continue
        ref = along[design_key(c, M)]
        for k in OBJECTIVES:
            assert c[k] == pytest.approx(ref[k], rel=1e-12), (c["cuts"], c["platforms"], k)
        met += 1
    # every design of the chain is one of them
    assert met == len(set(along))


def test_an_assigned_order_against_the_chain_is_the_chain_with_its_stages_swapped(partsim, explore):
    M = len(partsim.json("layers", MODEL, "--bits", BITS)["layers"])
    swapped = explore_json(explore, chain(stages=2), "--set", "pipelines.0.stages.0.node=ecu",
                           "--set", "pipelines.0.stages.1.node=cam")
    doc = explore_json(explore, chain(stages=2), "--platforms", "cam,ecu")
    ref = {design_key(c, M): c for c in swapped["candidates"]}
    backwards = [c for c in doc["candidates"] if c["platforms"] == "ecu;cam"]
    assert backwards
    for c in backwards:
        r = ref[design_key(c, M)]
        for k in OBJECTIVES:
            assert c[k] == pytest.approx(r[k], rel=1e-12), (c["cuts"], k)
        # the camera's image crosses the link to ecu first, and the cut comes back
        assert c["t0_bytes"] > 0 and c["t1_bytes"] > 0


@pytest.mark.parametrize("args, message", [
    (["--platforms", "cam,nope"], "no node or group 'nope'"),
    (["--platforms", "cam,cam"], "cam is named twice"),
    (["--platforms", "cam,gw", "--max-memory", "ecu=1MB"], "no platform of pipeline 'p'"),
])
def test_bad_platform_lists_are_refused(explore, args, message):
    proc = explore(chain(), *args, check=False)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def h5_table(path, name):
    import h5py
    import pandas as pd
    with h5py.File(path, "r") as f:
        assert f.attrs["completed"] == 1
        df = pd.DataFrame(f[name][:])
    for c in df.columns:
        if len(df) and isinstance(df[c].iloc[0], bytes):
            df[c] = df[c].str.decode("utf-8")
    return df


def test_the_file_holds_every_candidate_the_front_baselines_and_counts_as_json_does(
        explore, tmp_path):
    out = tmp_path / "e.h5"
    args = ["--positions", "single", "--max-latency", "60ms"]
    doc = explore_json(explore, chain(), *args)
    explore(chain(), *args, "-o", out, "--quiet")
    cand = h5_table(out, "/explore/candidates")
    assert len(cand) == doc["evaluated"] == len(doc["candidates"])
    for key in ["cuts", "platforms", "latency_s", "energy_j", "feasible", "front", "t1_bytes",
                "s2_memory_bytes"]:
        assert list(cand[key]) == [c[key] for c in doc["candidates"]], key
    front = h5_table(out, "/explore/front")
    assert list(front["cuts"]) == [c["cuts"] for c in doc["front"]]
    assert list(h5_table(out, "/explore/baselines")["platforms"]) == ["cam", "gw", "ecu"]
    assert list(h5_table(out, "/explore/pick")["cuts"]) == [doc["pick"]["cuts"]]
    cons = h5_table(out, "/explore/constraints").set_index("constraint")["removed"].to_dict()
    assert cons == doc["constraints"] and cons["latency"] > 0
    summ = h5_table(out, "/explore/summary").iloc[0]
    assert summ["evaluated"] == doc["evaluated"] and summ["feasible"] == doc["feasible"]
    assert summ["search"] == "exact" and summ["interrupted"] == 0
    pos = h5_table(out, "/explore/positions")
    assert pos["position"].iloc[0] == 0 and pos["layer"].iloc[0] == "input"
    assert pos["single_tensor_cut"].iloc[1:-1].all()
    import h5py
    with h5py.File(out, "r") as f:
        assert f["/explore/candidates"].attrs["unit_latency_s"] in (b"s", "s")
        assert "explore" in str(f.attrs["command_line"])


def test_the_file_refuses_to_replace_the_scenario(explore, tmp_path):
    proc = explore(chain(), "-o", tmp_path / "s.yaml", check=False)
    assert proc.returncode != 0 and "s.yaml" in proc.stderr
    assert (tmp_path / "s.yaml").read_text() == chain()


def test_ctrl_c_keeps_the_evaluated_front_in_the_file(partsim, tmp_path):
    scn = big_chain(tmp_path)
    out = tmp_path / "big.h5"
    proc = subprocess.Popen([str(partsim.binary), "explore", str(scn), "-o", str(out),
                             "--front-only", "--quiet", "--search", "exact"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    summ = h5_table(out, "/explore/summary").iloc[0]
    assert summ["interrupted"] == 1 and 0 < summ["evaluated"] < summ["space"]
    cand = h5_table(out, "/explore/candidates")
    front = h5_table(out, "/explore/front")
    assert len(cand) == len(front) >= 1 and cand["front"].all()
    assert not list(tmp_path.glob("*.partial-*"))


@pytest.mark.parametrize("platforms", [None, "cam,gw,ecu"])
def test_the_autodice_mapping_lists_every_onnx_node_once_under_the_platform_running_it(
        partsim, explore, tmp_path, platforms):
    import onnx
    from pathlib import Path
    zoo = Path(__file__).resolve().parents[2] / "workloads" / "zoo"
    model = onnx.load(str(zoo / f"{MODEL}.onnx"))
    names = [n.name for n in model.graph.node]
    out = tmp_path / "mapping.json"
    extra = ["--platforms", platforms] if platforms else []
    doc = explore_json(explore, chain(), "--positions", "single", *extra,
                       "--export-mapping", "autodice", out)
    pick = doc["pick"]
    mapping = json.loads(out.read_text())
    accel = {"cam": "sensor", "gw": "mid", "ecu": "edge"}
    used = pick["platforms"].split(";")
    assert list(mapping) == [f"{p}_{accel[p]}" for p in used]
    listed = [n for v in mapping.values() for n in v]
    assert sorted(listed) == sorted(names)
    # the compute layers of each platform are the schedule range between its cuts
    layers = [r["name"] for r in partsim.json("layers", MODEL, "--bits", BITS)["layers"]]
    ends = sorted({int(q) for q in pick["cuts"].split(";") if int(q) > 0} | {len(layers)})
    start = 0
    for key, end in zip(mapping, ends):
        assert [n for n in mapping[key] if n in layers] == layers[start:end], key
        start = end


def test_no_mapping_is_written_without_a_feasible_point(explore, tmp_path):
    out = tmp_path / "mapping.json"
    proc = explore(chain(), "--max-latency", "1ns", "--export-mapping", "autodice", out,
                   check=False)
    assert proc.returncode != 0 and "no feasible candidate" in proc.stderr
    assert not out.exists()


def test_a_node_computing_only_constants_goes_with_the_first_platform_using_it(
        partsim, explore, tmp_path):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(1)
    init = [numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "w"),
            numpy_helper.from_array(rng.standard_normal((10, 144)).astype(np.float32), "fc")]
    shape = helper.make_tensor("shape_value", TensorProto.INT64, [2], [1, -1])
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[0, 0, 0, 0]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Constant", [], ["shape"], name="shape_const", value=shape),
             helper.make_node("Reshape", ["r", "shape"], ["flat"], name="flatten"),
             helper.make_node("Gemm", ["flat", "fc"], ["y"], name="fc", transB=1)]
    graph = helper.make_graph(nodes, "tiny",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], init)
    path = tmp_path / "tiny.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    text = chain(stages=2).replace(f"model: {MODEL}", f"model: {path}").replace(
        "{node: cam, until: 3}", "{node: cam, until: relu}")
    out = tmp_path / "m.json"
    layers = [r["name"] for r in partsim.json("layers", path, "--bits", BITS)["layers"]]
    assert "shape_const" not in layers and "flatten" in layers
    # the largest platform's memory is least with the FC weights alone on one platform; of the
    # cuts that do it, the accuracy table makes the one after flatten the pick: flatten (and so
    # its constant) on the first platform
    acc = tmp_path / "acc.csv"
    acc.write_text("cut,accuracy\nrelu,0.5\nflatten,0.9\n")
    explore(text, "--export-mapping", "autodice", out, "--objectives", "memory,accuracy",
            "--memory-model", "peak", "--accuracy", acc, "--quiet")
    mapping = json.loads(out.read_text())
    owner = {n: k for k, v in mapping.items() for n in v}
    assert sorted(owner) == ["conv", "fc", "flatten", "relu", "shape_const"]
    assert list(mapping) == ["cam_sensor", "ecu_edge"]
    assert owner["flatten"] == owner["shape_const"] == "cam_sensor"
    assert owner["fc"] == "ecu_edge"


def shared_uplink(cameras):
    """`cameras` cameras run stage 0 and share one 100 Mb/s uplink to an edge node."""
    return f"""\
name: shared
seed: 3
duration: 3 s
workload: {{model: {MODEL}, bits: {BITS}}}
accelerators:
  sensor: eyeriss-v1
  edge: jetson-xavier-nx
nodes:
  - {{name: cam, count: {cameras}, accelerator: sensor}}
  - {{name: ecu, accelerator: edge}}
network:
  switches: [sw0]
  links:
    - {{from: cam*, to: sw0, type: 1000BASE-T, length: 5 m}}
    - {{from: sw0, to: ecu, type: 100BASE-TX, length: 5 m}}
pipelines:
  - name: p
    source: {{nodes: cam*, fps: 10 fps}}
    stages:
      - {{node: cam, until: 3}}
      - {{node: ecu}}
    compression: raw
    queue: {{depth: 4, policy: drop-oldest}}
"""


def test_validation_of_one_camera_reproduces_the_analytic_values_and_ranking(explore):
    doc = explore_json(explore, shared_uplink(1), "--positions", "single", "--objectives",
                       "latency", "--validate", "6")
    v = doc["validation"]
    assert v["simulated"] == 6 and v["rank_changes"] == 0 and v["kendall_tau"] == 1
    pts = v["points"]
    assert [p["analytic_rank"] for p in pts] == list(range(1, 7))
    # the six lowest latencies of every feasible candidate, in order
    best = sorted(c["latency_s"] for c in doc["candidates"] if c["feasible"])[:6]
    assert [p["latency_s"] for p in pts] == pytest.approx(best, rel=1e-12)
    for p in pts:
        assert p["simulated_rank"] == p["analytic_rank"]
        assert p["sim_latency_p50_s"] == pytest.approx(p["latency_s"], rel=1e-6)
        assert p["sim_energy_per_frame_j"] == pytest.approx(p["energy_j"], rel=1e-6)
        assert p["sim_throughput_fps"] == pytest.approx(10, rel=1e-6)   # the cameras' rate
        assert p["sim_dropped"] == 0


def test_validation_with_eight_cameras_on_one_uplink_changes_the_ranking(explore, tmp_path):
    out = tmp_path / "v.h5"
    doc = explore_json(explore, shared_uplink(8), "--positions", "single", "--objectives",
                       "latency", "--validate", "6", "-o", out)
    v = doc["validation"]
    pts = v["points"]
    assert v["simulated"] == 6 and v["rank_changes"] > 0 and v["kendall_tau"] < 1
    # contention only ever adds time; sharing the uplink at least doubles someone's latency
    assert all(p["sim_latency_p50_s"] >= p["latency_s"] * (1 - 1e-9) for p in pts)
    assert max(p["sim_latency_p50_s"] / p["latency_s"] for p in pts) > 2
    assert sum(p["sim_dropped"] for p in pts) > 0
    table = h5_table(out, "/explore/validation")
    assert list(table["cuts"]) == [p["cuts"] for p in pts]
    assert list(table["simulated_rank"]) == [p["simulated_rank"] for p in pts]


def test_validating_the_front_simulates_each_front_point_once(explore):
    doc = explore_json(explore, chain(), "--positions", "single", "--validate", "front")
    v = doc["validation"]
    assert sorted(p["cuts"] for p in v["points"]) == sorted(c["cuts"] for c in doc["front"])
    assert v["simulated"] == len(doc["front"])


def test_an_assigned_design_relayed_by_a_platform_is_simulated_as_it_was_priced(partsim):
    from pathlib import Path
    example = Path(__file__).resolve().parents[2] / "platforms/examples/four-platform-chain.yaml"
    proc = partsim("explore", example, "--positions", "single", "--platforms",
                   "eyr0,eyr1,smb0,smb1", "--objectives", "latency,energy", "--validate", "4",
                   "--format", "json", "--front-only", "--set", "duration=1s")
    assert proc.returncode == 0, proc.stderr
    pts = json.loads(proc.stdout)["validation"]["points"]
    # a design whose frame would visit more nodes than the pipeline has stages cannot be built
    for p in pts:
        assert p["error"] == "" or "relays included), the pipeline has 4 stages" in p["error"]
    ran = [p for p in pts if p["error"] == ""]
    # the camera eyr0 has no route to smb0: those designs go through eyr1, which runs nothing
    assert len(ran) >= 3 and any(p["platforms"].startswith("smb0") for p in ran)
    for p in ran:
        assert p["sim_latency_p50_s"] == pytest.approx(p["latency_s"], rel=1e-6), p["cuts"]
        assert p["sim_energy_per_frame_j"] == pytest.approx(p["energy_j"], rel=1e-6), p["cuts"]
