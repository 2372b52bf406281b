"""`partsim trace export --perfetto`: a run's /events as trace-event JSON, loaded back and
checked track by track against /events as h5py reads it."""
import collections
import json
from pathlib import Path

import h5py
import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "platforms/examples"


@pytest.fixture(scope="module")
def run(partsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("pf")
    out = d / "adas.h5"
    # 16 cameras on the 8-camera example's edge: its queue fills
    proc = partsim("run", EXAMPLES / "adas-8cam.yaml", "-o", out, "--set", "trace.events=true",
                   "--set", "nodes.0.count=16", "--set", "duration=3 s")
    assert proc.returncode == 0, proc.stderr
    with h5py.File(out, "r") as f:
        ev = f["/events"][:]
        nodes = [n.decode() for n in f["/nodes"]["name"][:]]
        links = [n.decode() for n in f["/links"]["name"][:]]
    return out, ev, nodes, links


def export(partsim, src, dst, *extra):
    proc = partsim("trace", "export", src, "--perfetto", dst, *extra)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(Path(dst).read_text())
    return doc["traceEvents"], proc


def track_names(events):
    """(pid, tid) -> 'process / thread' from the metadata events."""
    proc = {e["pid"]: e["args"]["name"] for e in events if e["name"] == "process_name"}
    return {(e["pid"], e["tid"]): f'{proc[e["pid"]]} / {e["args"]["name"]}'
            for e in events if e["name"] == "thread_name"}


def test_every_event_is_a_slice_on_its_tracks(partsim, run, tmp_path):
    src, ev, nodes, links = run
    events, proc = export(partsim, src, tmp_path / "t.json")
    names = track_names(events)
    slices = collections.Counter(names[(e["pid"], e["tid"])] for e in events if e["ph"] == "X")
    kind = np.char.decode(ev["kind"])
    resource = np.char.decode(ev["resource"])
    want = collections.Counter()
    for k, n, r in zip(kind, ev["node"], resource):
        if k == "stage":
            want[f"node {nodes[n]} / accelerator"] += 1
        else:  # on the sender's NIC and on the direction of its first link it sends on
            want[f"node {nodes[n]} / NIC"] += 1
            want[f"link {r} / from {nodes[n]}"] += 1
    assert slices == want
    assert sum(slices.values()) == len(ev) + int((kind == "transfer").sum())
    assert f"{len(ev) + int((kind == 'transfer').sum())} slices" in proc.stderr
    assert {e["name"] for e in events if e["ph"] == "M"} == {
        "process_name", "thread_name", "process_sort_index"}


def test_slices_carry_the_frame_camera_and_cut(partsim, run, tmp_path):
    src, ev, nodes, _ = run
    events, _ = export(partsim, src, tmp_path / "t.json")
    xs = [e for e in events if e["ph"] == "X" and e["tid"] == 1 and e["pid"] <= len(nodes)]
    stages = ev[np.char.decode(ev["kind"]) == "stage"]
    assert len(xs) == len(stages)
    # the same multiset of (camera, frame, start µs, cut) as /events' stage rows
    got = sorted((e["args"]["camera"], e["args"]["frame"], round(e["ts"], 3), e["args"]["cut"])
                 for e in xs)
    want = sorted((nodes[s], int(f), round(t * 1e6, 3), int(c))
                  for s, f, t, c in zip(stages["source"], stages["frame"], stages["start_s"],
                                        stages["cut"]))
    assert got == want
    e = xs[0]
    assert e["name"] == f'{e["args"]["camera"]} #{e["args"]["frame"]}'
    assert e["args"]["pipeline"] == "detect" and e["dur"] > 0


def test_queue_counters_follow_the_events(partsim, run, tmp_path):
    src, ev, nodes, _ = run
    events, _ = export(partsim, src, tmp_path / "t.json")
    stages = ev[np.char.decode(ev["kind"]) == "stage"]
    for n in np.unique(stages["node"]):
        mine = stages[stages["node"] == n]
        # frames waiting just after each change, counted directly from the intervals
        times = np.unique(np.concatenate([mine["queue_in_s"], mine["start_s"]]))
        direct = [int(((mine["queue_in_s"] <= t) & (mine["start_s"] > t)).sum()) for t in times]
        c = [(e["ts"], e["args"]["frames"]) for e in events
             if e["ph"] == "C" and e["pid"] == n + 1 and e["name"] == "stage queue"]
        assert c, nodes[n]
        # the counter is a step function: at every change time it holds the direct count
        ts = np.array([t for t, _ in c])
        for t, want in zip(times, direct):
            k = np.searchsorted(ts, t * 1e6 + 1e-3, side="right") - 1
            got = c[k][1] if k >= 0 else 0
            assert got == want, (nodes[n], t)
    assert max(e["args"]["frames"] for e in events
               if e["ph"] == "C" and e["name"] == "stage queue") >= 2


def test_link_utilisation_integrates_to_the_busy_time(partsim, run, tmp_path):
    src, ev, nodes, links = run
    events, _ = export(partsim, src, tmp_path / "t.json", "--bins", "50")
    tr = ev[np.char.decode(ev["kind"]) == "transfer"]
    span = ev["end_s"].max() - ev["start_s"].min()
    by_track = collections.defaultdict(list)
    for e in events:
        if e["ph"] == "C" and e["name"].startswith("utilisation"):
            by_track[(e["pid"], e["name"])].append(e["args"]["busy"])
    assert by_track
    for (pid, name), u in by_track.items():
        link = links[pid - len(nodes) - 1]
        sender = nodes.index(name[len("utilisation from "):])
        mine = tr[(np.char.decode(tr["resource"]) == link) & (tr["node"] == sender)]
        assert len(u) == 51 and u[-1] == 0  # a value per bin and 0 at the end
        busy = sum(u) * span / 50
        assert busy == pytest.approx((mine["end_s"] - mine["start_s"]).sum(), rel=1e-4)
        assert 0 <= min(u) and max(u) <= 1


def test_a_window_keeps_what_overlaps_it(partsim, run, tmp_path):
    src, ev, nodes, _ = run
    events, _ = export(partsim, src, tmp_path / "w.json", "--from", "1 s", "--to", "1500 ms")
    n_transfers = ((np.char.decode(ev["kind"]) == "transfer") & (ev["end_s"] >= 1)
                   & (ev["start_s"] <= 1.5)).sum()
    n_stages = ((np.char.decode(ev["kind"]) == "stage") & (ev["end_s"] >= 1)
                & (ev["start_s"] <= 1.5)).sum()
    xs = [e for e in events if e["ph"] == "X"]
    assert len(xs) == n_stages + 2 * n_transfers
    cs = [e["ts"] for e in events if e["ph"] == "C"]
    assert min(cs) >= 1e6 - 1e-3 and max(cs) <= 1.5e6 + 1e-3


def test_what_it_cannot_export_is_refused_and_nothing_is_written(partsim, run, tmp_path):
    src, *_ = run
    plain = tmp_path / "plain.h5"
    assert partsim("run", EXAMPLES / "adas-8cam.yaml", "-o", plain,
                   "--set", "duration=1 s").returncode == 0
    out = tmp_path / "x.json"
    proc = partsim("trace", "export", plain, "--perfetto", out)
    assert proc.returncode == 1 and "trace.events=true" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob("x.json*"))
    ex = tmp_path / "e.h5"
    assert partsim("explore", EXAMPLES / "kress-chain.yaml", "-o", ex, "--quiet").returncode == 0
    proc = partsim("trace", "export", ex, "--perfetto", out)
    assert proc.returncode == 1 and "explore file" in proc.stderr and not out.exists()
    proc = partsim("trace", "export", src, "--perfetto", src)
    assert proc.returncode != 0 and h5py.is_hdf5(src)  # the input is not overwritten
    for bad, msg in [(["--from", "2"], "--from takes a time"),
                     (["--from", "2 s", "--to", "1 s"], "later than --from"),
                     (["--bins", "0"], "--bins takes")]:
        proc = partsim("trace", "export", src, "--perfetto", out, *bad)
        assert proc.returncode == 2 and msg in proc.stderr, bad
    proc = partsim("trace", "export", src, "--perfetto", out, "--from", "10 s")
    assert proc.returncode == 1 and "after the run's last activity" in proc.stderr
    assert not out.exists()
    proc = partsim("trace", "export", src, "--csv", tmp_path / "c", "--from", "1 s")
    assert proc.returncode == 2 and "go with --perfetto" in proc.stderr


def test_a_file_without_the_queue_columns_still_gives_valid_json(partsim, run, tmp_path):
    """An /events table written before it had dest, pipeline, source, cut and queue_in_s
    (rewritten here without them): the slices, and null where a value is unknown."""
    src, ev, *_ = run
    old = tmp_path / "old.h5"
    keep = [n for n in ev.dtype.names
            if n not in ("dest", "pipeline", "source", "cut", "queue_in_s")]
    with h5py.File(src, "r") as f, h5py.File(old, "w") as g:
        for k, v in f.attrs.items():
            g.attrs[k] = v
        for name in f:
            if name != "events":
                f.copy(name, g)
        g.create_dataset("events", data=np.array(ev[keep]), chunks=True)
    events, _ = export(partsim, old, tmp_path / "old.json")  # json.loads: valid JSON
    xs = [e for e in events if e["ph"] == "X"]
    assert len(xs) == len(ev) + int((np.char.decode(ev["kind"]) == "transfer").sum())
    assert all(e["args"]["wait_s"] is None for e in xs)
