"""`partsim sweep`: a grid (or zip) of scenario values, each point simulated in its own
process.  Every point's row is checked against `partsim run` of the same point; the file
against the printed rows; -j against -j 1; failures, typos and Ctrl-C."""
import json
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

SCENARIO = """\
name: sweep-test
seed: 3
duration: 1 s
workload: {model: alexnet, bits: 8}
accelerators:
  sensor: eyeriss-v1
  edge: jetson-xavier-nx
nodes:
  - {name: cam, count: 2, accelerator: sensor}
  - {name: ecu, accelerator: edge}
network:
  switches: [sw]
  links:
    - {from: cam*, to: sw, type: 100BASE-TX, length: 4 m}
    - {from: sw, to: ecu, type: 1000BASE-T, length: 4 m}
pipelines:
  - name: p
    source: {nodes: cam*, fps: 10 fps, jitter: 2 ms, phase: random}
    stages:
      - {node: cam, until: 3}
      - {node: ecu}
    compression: raw
"""

FPS = "pipelines.0.source.fps"
CUT = "pipelines.0.stages.0.until"


@pytest.fixture
def scn(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    return path


def stopped_sweep(partsim, scn, *args, sig=signal.SIGINT, after=1.0):
    """Start `partsim sweep scn args...`, send it sig after `after` seconds; its (returncode,
    stderr)."""
    proc = subprocess.Popen([str(partsim.binary), "sweep", str(scn), *map(str, args)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def sweep_json(partsim, scn, *args):
    proc = partsim("sweep", scn, "--format", "json", "--quiet", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_grid_runs_every_combination_in_order_first_vary_slowest(partsim, scn):
    doc = sweep_json(partsim, scn, "--vary", f"{FPS}=5fps,10fps,20fps", "--vary", f"{CUT}=3,8")
    rows = doc["points"]
    assert doc["points_total"] == doc["done"] == len(rows) == 6 and doc["failed"] == 0
    assert [r["point"] for r in rows] == list(range(6))
    assert [r["pipelines_0_source_fps_text"] for r in rows] == ["5fps"] * 2 + ["10fps"] * 2 + \
        ["20fps"] * 2
    assert [r["pipelines_0_source_fps"] for r in rows] == [5, 5, 10, 10, 20, 20]  # SI: 1/s
    assert [r["pipelines_0_stages_0_until"] for r in rows] == [3, 8] * 3
    assert all(r["ok"] for r in rows)
    # twice the frame rate, twice the frames over the same second
    assert rows[4]["frames"] == 2 * rows[2]["frames"] == 4 * rows[0]["frames"]


def test_every_point_is_what_partsim_run_gives_for_the_same_values(partsim, scn):
    doc = sweep_json(partsim, scn, "--vary", f"{FPS}=8fps:32fps:x2", "--vary",
                     "network.links.0.type=100BASE-TX,1000BASE-T")
    assert len(doc["points"]) == 6
    for row in doc["points"][::2] + doc["points"][1:2]:
        run = partsim.json("run", scn, "--no-trace",
                           "--set", f"{FPS}={row['pipelines_0_source_fps_text']}",
                           "--set", f"network.links.0.type={row['network_links_0_type']}")
        s = run["summary"][0]
        for key in ["frames", "completed", "dropped", "deadline_missed"]:
            assert row[key] == s[key], key
        for key in ["throughput_fps", "latency_p50_s", "latency_p99_s", "energy_per_frame_j"]:
            assert row[key] == pytest.approx(s[key], rel=1e-12), key
        busiest = max(run["nodes"], key=lambda n: n["utilization"])
        assert row["busiest_node"] == busiest["name"]
        assert row["busiest_node_utilization"] == pytest.approx(busiest["utilization"])
        link = max(run["links"], key=lambda n: n["utilization"])
        assert row["busiest_link_utilization"] == pytest.approx(link["utilization"])
    # a slower camera link takes longer per frame
    fast = [r for r in doc["points"] if r["network_links_0_type"] == "1000BASE-T"]
    slow = [r for r in doc["points"] if r["network_links_0_type"] == "100BASE-TX"]
    assert all(s["latency_p50_s"] > f["latency_p50_s"] for s, f in zip(slow, fast))


def test_seeds_repeat_each_combination_with_the_scenarios_seed_and_the_next(partsim, scn):
    doc = sweep_json(partsim, scn, "--vary", f"{CUT}=3,8", "--seeds", "3")
    rows = doc["points"]
    assert [r["seed"] for r in rows] == [3, 4, 5, 3, 4, 5]
    assert [r["pipelines_0_stages_0_until"] for r in rows] == [3, 3, 3, 8, 8, 8]
    run = partsim.json("run", scn, "--no-trace", "--set", "seed=4", "--set", f"{CUT}=8")
    assert rows[4]["latency_max_s"] == pytest.approx(run["summary"][0]["latency_max_s"],
                                                     rel=1e-12)


def test_zip_pairs_the_values(partsim, scn):
    doc = sweep_json(partsim, scn, "--zip", "--vary", f"{FPS}=5fps,10fps",
                     "--vary", f"{CUT}=3,8")
    assert [(r["pipelines_0_source_fps"], r["pipelines_0_stages_0_until"])
            for r in doc["points"]] == [(5, 3), (10, 8)]
    proc = partsim("sweep", scn, "--zip", "--vary", f"{FPS}=5fps,10fps", "--vary", f"{CUT}=3")
    assert proc.returncode == 2 or proc.returncode == 1
    assert "zip" in proc.stderr


def test_the_file_holds_the_rows_printed_and_the_same_at_any_j(partsim, scn, tmp_path):
    args = ["--vary", f"{FPS}=5fps:25fps:5fps", "--vary", f"{CUT}=3,8"]
    doc = sweep_json(partsim, scn, *args)
    files = []
    for j in ["1", "2"]:
        out = tmp_path / f"j{j}.h5"
        proc = partsim("sweep", scn, *args, "-j", j, "-o", out, "--quiet")
        assert proc.returncode == 0, proc.stderr
        files.append(out)
    tables = []
    for out in files:
        with h5py.File(out, "r") as f:
            assert f.attrs["completed"] == 1
            assert "pipelines.0.source.fps=5fps,10fps,15fps,20fps,25fps" in \
                str(f.attrs["sweep_spec"])
            pts = f["/sweep/points"][:]
            energy = f["/sweep/energy"][:]
            assert f["/sweep/points"].attrs["unit_latency_p50_s"] in (b"s", "s")
        tables.append((pts, energy))
    (a, ea), (b, eb) = tables
    assert len(a) == len(doc["points"]) == 10
    for name in a.dtype.names:
        if name != "wall_s":
            assert list(a[name]) == list(b[name]), name
    assert list(a["latency_p50_s"]) == [r["latency_p50_s"] for r in doc["points"]]
    assert list(ea["energy_per_frame_j"]) == list(eb["energy_per_frame_j"])
    # energy per frame per node group and the network adds up to the pipeline's
    for p, total in zip(a["point"], a["energy_per_frame_j"]):
        mine = [e["energy_per_frame_j"] for e in ea if e["point"] == p]
        assert {e["resource"].decode() for e in ea if e["point"] == p} <= {"cam", "ecu",
                                                                        "network"}
        assert sum(mine) == pytest.approx(total, rel=1e-9)
    # and the same values as the row's own columns, a column per node group
    for row in a:
        mine = {e["resource"].decode(): e["energy_per_frame_j"] for e in ea
                if e["point"] == row["point"]}
        for group in ["cam", "ecu", "network"]:
            assert row[f"energy_per_frame_{group}_j"] == mine.get(group, 0.0), group


def test_a_point_that_fails_is_recorded_and_the_sweep_goes_on(partsim, scn):
    proc = partsim("sweep", scn, "--format", "json", "--vary", f"{CUT}=3,no_such_layer,8")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    ok = [r["ok"] for r in doc["points"]]
    assert ok == [True, False, True] and doc["failed"] == 1
    bad = doc["points"][1]
    assert "no_such_layer" in bad["error"] and bad["pipeline"] == -1
    assert "point 1 (pipelines.0.stages.0.until=no_such_layer) failed" in proc.stderr


def test_a_key_no_value_loads_with_is_refused_before_anything_runs(partsim, scn, tmp_path):
    out = tmp_path / "x.h5"
    proc = partsim("sweep", scn, "--vary", "pipelines.0.sourc.fps=5fps,10fps", "-o", out)
    assert proc.returncode == 1
    assert "--vary pipelines.0.sourc.fps" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial-*"))


def test_csv_has_a_header_and_a_row_per_point(partsim, scn):
    proc = partsim("sweep", scn, "--format", "csv", "--vary", f"{CUT}=3,8", "--quiet")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    head = lines[0].split(",")
    assert head[:3] == ["point", "seed", "pipelines_0_stages_0_until"]
    assert "throughput_fps" in head and "busiest_link" in head
    assert len(lines) == 3


def test_the_table_shows_the_points(partsim, scn):
    proc = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "pipelines_0_stages_0_until" in proc.stdout and "throughput_fps" in proc.stdout
    assert len(proc.stdout.strip().splitlines()) == 3


@pytest.mark.parametrize("args, message", [
    ([], "nothing to sweep"),
    (["--vary", "seed"], "--vary takes KEY=V1,V2"),
    (["--vary", "seed=1:5:0"], "seed=1:5:0"),
    (["--vary", "seed=1,2", "--seeds", "0"], "--seeds takes a whole number from 1"),
    (["--vary", "seed=1,2", "-j", "0"], "--jobs takes a whole number from 1"),
])
def test_bad_options_say_what_was_expected(partsim, scn, args, message):
    proc = partsim("sweep", scn, *args)
    assert proc.returncode in (1, 2)
    assert message in proc.stderr


def test_the_file_refuses_to_replace_the_scenario(partsim, scn):
    before = scn.read_text()
    proc = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "-o", scn, "--keep-runs")
    assert proc.returncode != 0
    assert scn.read_text() == before
    # and nothing was made beside it first
    assert sorted(p.name for p in scn.parent.iterdir()) == ["s.yaml"]


def test_a_value_too_long_for_a_set_is_refused(partsim, scn):
    proc = partsim("sweep", scn, "--vary", "pipelines.0.source.jitter=1" + " " * 1100 + "ms,2ms")
    assert proc.returncode == 1 and "--vary pipelines.0.source.jitter: value 1 is" in proc.stderr


def test_ctrl_c_keeps_the_points_that_finished(partsim, scn, tmp_path):
    out = tmp_path / "big.h5"
    rc, err = stopped_sweep(partsim, scn, "--vary", "seed=1:100000:1", "-j", "2", "-o", out,
                            "--quiet", after=2.0)
    assert rc == 0, err
    with h5py.File(out, "r") as f:
        assert f.attrs["completed"] == 1
        assert f.attrs["interrupted"] == 1 and f.attrs["points_total"] == 100000
        pts = f["/sweep/points"][:]
        assert f.attrs["points_done"] == len(pts)
    assert 0 < len(pts) < 100000
    assert list(pts["point"]) == list(range(len(pts)))  # finished points, none skipped
    assert pts["ok"].all()
    assert not list(tmp_path.glob("*.partial-*"))


def tables(path):
    with h5py.File(path, "r") as f:
        assert f.attrs["completed"] == 1
        return {t: f[t][:] for t in ["/sweep/points", "/sweep/energy"]}


def assert_same_tables(a, b):
    for t in a:
        assert len(a[t]) == len(b[t]), t
        for name in a[t].dtype.names:
            if name != "wall_s":
                assert list(a[t][name]) == list(b[t][name]), (t, name)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_resume_after_a_killed_or_interrupted_sweep_gives_the_uninterrupted_file(
        partsim, scn, tmp_path, how):
    args = ["--vary", "seed=1:700:1", "--vary", f"{CUT}=3,8", "-j", "2"]
    out = tmp_path / "r.h5"
    stopped_sweep(partsim, scn, *args, "-o", out, "--quiet", "--format", "csv", sig=how)
    journal = tmp_path / "r.h5.journal"
    assert journal.exists()  # kept until the sweep completes
    res = partsim("sweep", scn, *args, "-o", out, "--resume", "--format", "csv")
    assert res.returncode == 0, res.stderr
    done = int(res.stderr.split("resuming")[1].split(":")[1].split()[0])
    assert 0 < done < 1400  # it resumed part-way
    assert not journal.exists() and not list(tmp_path.glob("*.partial-*"))
    assert len(res.stdout.strip().splitlines()) == 1401  # every point printed, old and new
    full = tmp_path / "full.h5"
    assert partsim("sweep", scn, *args, "-o", full, "--quiet").returncode == 0
    assert_same_tables(tables(out), tables(full))


def test_resume_refuses_a_journal_made_with_or_without_keep_runs(partsim, scn, tmp_path):
    out = tmp_path / "r.h5"
    stopped_sweep(partsim, scn, "--vary", "seed=1:100000:1", "-o", out, "--quiet")
    other = partsim("sweep", scn, "--vary", "seed=1:100000:1", "-o", out, "--resume",
                    "--keep-runs")
    assert other.returncode == 1 and "this sweep 'keep-runs; grid" in other.stderr
    assert not (tmp_path / "r.h5.runs").exists()


def test_resume_refuses_another_sweeps_journal(partsim, scn, tmp_path):
    out = tmp_path / "r.h5"
    journal = tmp_path / "r.h5.journal"
    stopped_sweep(partsim, scn, "--vary", "seed=1:100000:1", "-o", out, "--quiet")
    assert journal.exists()
    other = partsim("sweep", scn, "--vary", "seed=1:99999:1", "-o", out, "--resume")
    assert other.returncode == 1
    assert "is another sweep's; they differ at character" in other.stderr
    assert "99998,99999,100000'" in other.stderr and "99998,99999'" in other.stderr
    changed = partsim("sweep", scn, "--vary", "seed=1:100000:1", "-o", out, "--resume",
                      "--set", "duration=2 s")
    assert changed.returncode == 1 and "made from another scenario" in changed.stderr
    assert journal.exists()  # a refused resume keeps it


def test_resume_starts_a_new_sweep_and_refuses_a_completed_one(partsim, scn, tmp_path):
    out = tmp_path / "r.h5"
    first = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "-o", out, "--resume")
    assert first.returncode == 0 and "no " + str(out) + " yet: starting" in first.stderr
    assert len(tables(out)["/sweep/points"]) == 2
    again = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "-o", out, "--resume")
    assert again.returncode == 1 and "completed (nothing to resume)" in again.stderr
    bare = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "--resume")
    assert bare.returncode == 2 and "--resume continues the sweep of -o FILE" in bare.stderr


def test_seeds_and_a_varied_seed_are_refused_together(partsim, scn):
    proc = partsim("sweep", scn, "--vary", "seed=1,2", "--seeds", "2")
    assert proc.returncode == 1 and "give one or the other" in proc.stderr
    doc = sweep_json(partsim, scn, "--vary", "seed=7,9")
    assert [r["seed"] for r in doc["points"]] == [7, 9]  # the seed each point ran with


NEUPART = Path(__file__).resolve().parents[2] / "platforms/examples/neupart-phone.yaml"
RATE = "network.links.0.type.rate"


def test_explore_at_every_point_picks_what_partsim_explore_picks(partsim):
    """NeuPart Fig. 13(b)'s question in one command: the phone-energy-optimal cut of AlexNet
    against the Wi-Fi rate."""
    doc = sweep_json(partsim, NEUPART, "--explore", "--objectives", "sensor_energy",
                     "--vary", f"{RATE}=1Mbps:512Mbps:x4")
    rows = doc["points"]
    assert [r["network_links_0_type_rate"] for r in rows] == [1e6, 4e6, 16e6, 64e6, 256e6]
    for row in rows:
        one = partsim.json("explore", NEUPART, "--objectives", "sensor_energy", "--set",
                           f"{RATE}={row['network_links_0_type_rate_text']}")
        pick = one["pick"]
        assert (row["cuts"], row["platforms"]) == (pick["cuts"], pick["platforms"])
        assert row["sensor_energy_j"] == pytest.approx(pick["sensor_energy_j"], rel=1e-12)
        assert row["latency_s"] == pytest.approx(pick["latency_s"], rel=1e-12)
        assert row["feasible"] == one["feasible"] and row["front_size"] == len(one["front"])
        assert row["search"] == "exact"
    # the faster the link, the more of the network goes to the cloud
    cuts = [int(r["cuts"]) for r in rows]
    assert cuts == sorted(cuts, reverse=True) and cuts[0] > cuts[-1]


def test_explore_sweep_file_holds_the_picks(partsim, tmp_path):
    out = tmp_path / "e.h5"
    doc = sweep_json(partsim, NEUPART, "--explore", "--vary", f"{RATE}=10Mbps,100Mbps")
    proc = partsim("sweep", NEUPART, "--explore", "--vary", f"{RATE}=10Mbps,100Mbps",
                   "-o", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f:
        pts = f["/sweep/points"][:]
        assert len(f["/sweep/energy"]) == 0
    assert [c.decode() for c in pts["cuts"]] == [r["cuts"] for r in doc["points"]]
    assert list(pts["throughput_fps"]) == [r["throughput_fps"] for r in doc["points"]]


def test_explore_options_need_explore(partsim, scn):
    proc = partsim("sweep", scn, "--vary", f"{CUT}=3,8", "--objectives", "energy")
    assert proc.returncode == 2 and "go with --explore" in proc.stderr


def test_keep_runs_puts_each_points_run_tables_in_the_file(partsim, scn, tmp_path):
    out = tmp_path / "k.h5"
    proc = partsim("sweep", scn, "--vary", f"{CUT}=3,no_such_layer,8", "--keep-runs", "-o", out,
                   "--quiet")
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f:
        assert sorted(f["/runs"].keys()) == ["0", "2"]  # the failed point ran nothing
        pts = f["/sweep/points"][:]
        for p in (0, 2):
            run = f[f"/runs/{p}"]
            assert {"frames", "nodes", "links", "summary"} <= set(run.keys())
            summ = run["summary"][0]
            row = pts[pts["point"] == p][0]
            assert summ["completed"] == row["completed"]
            assert summ["latency_p50_s"] == row["latency_p50_s"]
            assert len(run["frames"]) == row["frames"]
            assert f"until: {3 if p == 0 else 8}" in str(run.attrs["scenario"])
    assert not (tmp_path / "k.h5.runs").exists()  # removed once the file holds them


def test_keep_runs_survives_a_kill_and_resume(partsim, scn, tmp_path):
    args = ["--vary", "seed=1:400:1", "--keep-runs", "-j", "2"]
    out = tmp_path / "k.h5"
    stopped_sweep(partsim, scn, *args, "-o", out, "--quiet", sig=signal.SIGKILL)
    assert (tmp_path / "k.h5.runs").is_dir()
    res = partsim("sweep", scn, *args, "-o", out, "--resume", "--quiet")
    assert res.returncode == 0, res.stderr
    with h5py.File(out, "r") as f:
        assert len(f["/runs"]) == 400
        assert all(len(f[f"/runs/{p}/frames"]) > 0 for p in (0, 199, 399))


def test_keep_runs_needs_a_file_and_a_simulation(partsim, scn):
    for args in (["--keep-runs"], ["--keep-runs", "--explore", "-o", "x.h5"]):
        proc = partsim("sweep", scn, "--vary", f"{CUT}=3,8", *args)
        assert proc.returncode == 2 and "--keep-runs keeps each point's run" in proc.stderr


def test_seeds_report_the_spread_of_each_combination(partsim, scn, tmp_path):
    import statistics
    out = tmp_path / "s.h5"
    args = ["--vary", f"{FPS}=10fps,20fps", "--seeds", "5"]
    doc = sweep_json(partsim, scn, *args)
    assert partsim("sweep", scn, *args, "-o", out, "--quiet").returncode == 0
    spread = doc["spread"]
    assert [s["combo"] for s in spread] == [0, 1] and all(s["seeds"] == 5 for s in spread)
    for s in spread:
        rows = [r for r in doc["points"] if r["point"] // 5 == s["combo"]]
        for m in ["throughput_fps", "latency_p99_s", "energy_per_frame_j", "dropped"]:
            vals = [r[m] for r in rows]
            assert s[f"{m}_mean"] == pytest.approx(statistics.mean(vals), rel=1e-9)
            assert s[f"{m}_std"] == pytest.approx(statistics.stdev(vals), rel=1e-6, abs=1e-12)
            assert (s[f"{m}_min"], s[f"{m}_max"]) == (min(vals), max(vals))
    assert spread[0]["throughput_fps_std"] > 0  # random phases and jitter differ by seed
    with h5py.File(out, "r") as f:
        t = f["/sweep/spread"][:]
    assert list(t["throughput_fps_mean"]) == [s["throughput_fps_mean"] for s in spread]
    text = partsim("sweep", scn, *args, "--quiet")
    assert "spread over 5 seeds" in text.stdout


def test_a_malformed_scenario_or_a_broken_model_is_named_before_any_point_runs(
        partsim, scn, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("duration: 1 s", "duration: [1 s"))
    proc = partsim("sweep", bad, "--vary", f"{CUT}=3,8", "-o", tmp_path / "x.h5")
    assert proc.returncode == 1 and "bad.yaml:" in proc.stderr
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"\x08\x07\x12\xff\xff not a protobuf")
    broken = tmp_path / "broken.yaml"
    broken.write_text(SCENARIO.replace("model: alexnet", f"model: {model}"))
    proc = partsim("sweep", broken, "--vary", f"{CUT}=3,8", "-o", tmp_path / "y.h5")
    assert proc.returncode == 1 and "broken.onnx" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "broken.onnx",
                                                          "broken.yaml", "s.yaml"]
