"""partsim.plots on files partsim writes during the test: the numbers each figure draws against
the file's own tables (and the C side's summary), not only that a figure comes out."""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "analysis"))
import partsim  # noqa: E402
import partsim.plots as plots  # noqa: E402

EXAMPLES = REPO / "platforms/examples"

# Two pipelines on one ECU: "detect" with a deadline and a result sent back to the camera
# (transfer t2), "park" without a deadline on overloaded cameras (drops at stage 0).
TWO_PIPELINES = """\
name: two-pipelines
seed: 1
duration: 2 s
workload: {model: resnet50, bits: 8, sparsity: default}
accelerators:
  sensor-acc: {preset: eyeriss-v1}
  ecu-gpu: jetson-xavier-nx
nodes:
  - {name: front, count: 2, accelerator: sensor-acc, static_power: 20 mW}
  - {name: rear, count: 2, accelerator: sensor-acc}
  - {name: ecu, accelerator: ecu-gpu}
network:
  switches: [sw0]
  links:
    - {from: front*, to: sw0, type: 100BASE-TX, length: 5 m}
    - {from: rear*, to: sw0, type: 1000BASE-T, length: 5 m}
    - {from: sw0, to: ecu, type: 1000BASE-T, length: 2 m}
pipelines:
  - name: detect
    source: {nodes: front*, fps: 30 fps, jitter: 0.5 ms}
    stages:
      - {node: front, until: /maxpool/MaxPool}
      - {node: ecu}
    queue: {depth: 2, policy: drop-oldest}
    deadline: 30 ms
    result: 2 kB
  - name: park
    source: {nodes: rear*, fps: 60 fps}
    stages:
      - {node: rear, until: /layer1/layer1.0/relu_2/Relu}
      - {node: ecu}
    queue: {depth: 2, policy: drop-oldest}
"""


@pytest.fixture(scope="module")
def partsim_bin(partsim):
    return partsim


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("plots")


@pytest.fixture(scope="module")
def run_file(out, partsim_bin):
    path = out / "adas.h5"
    partsim_bin("run", EXAMPLES / "adas-8cam.yaml", "--set", "duration=2 s", "-o", path,
                "--quiet", check=True)
    return path


@pytest.fixture(scope="module")
def two_file(out, partsim_bin):
    scenario = out / "two.yaml"
    scenario.write_text(TWO_PIPELINES)
    path = out / "two.h5"
    partsim_bin("run", scenario, "-o", path, "--quiet", check=True)
    return path


@pytest.fixture(scope="module")
def batch_file(out, partsim_bin):
    """The cloud runs its FC layers 4 frames at a time: 4 frames share one stage interval."""
    path = out / "batch.h5"
    partsim_bin("run", EXAMPLES / "neupart-phone.yaml", "--set",
                "accelerators.cloud-tpu.batch={frames: 4, from: /classifier/classifier.1/Gemm}",
                "--set", "pipelines.0.queue.depth=4", "--set", "duration=2 s", "-o", path,
                "--quiet", check=True)
    return path


@pytest.fixture(scope="module")
def explore_file(out, partsim_bin):
    path = out / "explore.h5"
    partsim_bin("explore", EXAMPLES / "kress-chain.yaml", "-o", path, "--quiet", check=True)
    return path


@pytest.fixture(scope="module")
def sweep_file(out, partsim_bin):
    path = out / "sweep.h5"
    partsim_bin("sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,4",
                "--vary", "network.links.0.type=100BASE-TX,1000BASE-T", "--set", "duration=1 s",
                "-o", path, "--quiet", check=True)
    return path


@pytest.fixture(scope="module")
def seeds_file(out, partsim_bin):
    """Three varied keys, each point twice (--seeds 2; the cameras' jitter draws)."""
    path = out / "seeds.h5"
    partsim_bin("sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,3",
                "--vary", "network.links.0.type=100BASE-TX,1000BASE-T",
                "--vary", "pipelines.0.source.fps=10fps,20fps", "--seeds", "2",
                "--set", "duration=0.5 s", "-o", path, "--quiet", check=True)
    return path


def by_gid(artists, prefix):
    return {a.get_gid(): a for a in artists if (a.get_gid() or "").startswith(prefix)}


def bar_sums(ax):
    """The stacked bars of an axes: label -> heights, and the stack's total per bar."""
    parts = {c.get_label(): np.array([p.get_height() for p in c]) for c in ax.containers}
    return parts, sum(parts.values())


# --- timeline ----------------------------------------------------------------------------------

def expected_bars(t, frames, lo=-np.inf, hi=np.inf):
    """(kind:node) -> intervals [(start_ms, width_ms)] that took time and touch [lo, hi]."""
    names = t["nodes"].name.tolist()
    stages = sorted(int(c[1:-5]) for c in frames.columns if c.endswith("_node") and c[0] == "s")
    transfers = sorted(int(c[1:-8]) for c in frames.columns
                       if c.startswith("t") and c.endswith("_start_s"))
    want = {}

    def add(kind, sender, start, end):
        ok = (end > start) & (end >= lo) & (start <= hi)
        for n, s, e in zip(sender[ok], start[ok], end[ok]):
            want.setdefault(f"{kind}:{names[n]}", []).append((1e3 * s, 1e3 * (e - s)))

    for k in stages:
        add("stage", frames[f"s{k}_node"], frames[f"s{k}_start_s"], frames[f"s{k}_end_s"])
    for k in transfers:
        sender = frames.source if k == 0 else frames[f"s{k - 1}_node"]
        add("transfer", sender, frames[f"t{k}_start_s"], frames[f"t{k}_end_s"])
    return want


def drawn_bars(fig):
    ax = fig.axes[0]
    got = {}
    for c in ax.collections:
        for path in c.get_paths():
            x = path.vertices[:, 0]
            got.setdefault(c.get_gid(), []).append((x.min(), x.max() - x.min()))
    return got


def assert_same_bars(got, want):
    assert sorted(got) == sorted(want)
    for key in want:
        assert np.allclose(sorted(got[key]), sorted(want[key]), rtol=1e-9, atol=1e-9), key


@pytest.mark.parametrize("fixture", ["run_file", "two_file"])
def test_timeline_draws_the_stage_and_transfer_intervals_of_the_first_frames(fixture, request):
    t = partsim.open(request.getfixturevalue(fixture))
    first = t["frames"].sort_values("capture_s", kind="stable").head(40)
    want = expected_bars(t, first)
    fig = plots.timeline(t)
    assert_same_bars(drawn_bars(fig), want)
    assert "the first 40 frames" in fig.axes[0].get_title()
    if fixture == "two_file":     # the result back to the camera leaves from the ECU's NIC
        assert len(want["transfer:ecu"]) == int((first.t2_end_s > first.t2_start_s).sum()) > 0


def test_timeline_bars_are_coloured_by_camera(run_file):
    t = partsim.open(run_file)
    fig = plots.timeline(t)
    ax = fig.axes[0]
    box = ax.get_legend()
    handles = getattr(box, "legend_handles", None) or box.legendHandles   # matplotlib < 3.7
    legend = {text.get_text(): h.get_facecolor() for text, h in zip(box.get_texts(), handles)}
    assert sorted(legend) == [f"cam{i}" for i in range(8)]
    rows = by_gid(ax.collections, "stage:")
    assert np.allclose(rows["stage:cam3"].get_facecolor(), legend["cam3"])
    ecu = rows["stage:ecu"].get_facecolor()         # the ECU serves every camera
    assert len({tuple(c) for c in np.round(ecu, 6)}) == 8


def test_timeline_window_holds_every_interval_in_it_or_the_first_max_frames(run_file):
    t = partsim.open(run_file)
    f = t["frames"]
    fig = plots.timeline(t, start_s=0.05, end_s=0.15, max_frames=10_000)
    assert_same_bars(drawn_bars(fig), expected_bars(t, f, 0.05, 0.15))
    assert fig.axes[0].get_xlim() == pytest.approx((50.0, 150.0))
    small = plots.timeline(t, start_s=0.05, end_s=0.15, max_frames=5)
    assert "the first 5 of" in small.axes[0].get_title()
    assert sum(len(v) for v in drawn_bars(small).values()) <= 5 * 3
    with pytest.raises(ValueError, match="no frame has an interval in"):
        plots.timeline(t, start_s=100.0, end_s=101.0)


# --- latency -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["run_file", "two_file"])
def test_latency_marks_the_summarys_percentiles_and_the_deadline(fixture, request):
    t = partsim.open(request.getfixturevalue(fixture))
    summary = t["summary"]
    fig = plots.latency(t)
    axes = by_gid(fig.axes, "pipeline:")
    assert sorted(axes) == sorted(f"pipeline:{n}" for n in summary.name)
    for _, s in summary.iterrows():
        ax = axes[f"pipeline:{s['name']}"]
        lines = by_gid(ax.lines, "")
        for q in (50, 95, 99):       # nearest rank, as /summary (its 0.1 % histogram bins)
            assert lines[f"p{q}"].get_xdata()[0] / 1e3 == pytest.approx(
                s[f"latency_p{q}_s"], rel=1e-3), (s["name"], q)
        if np.isfinite(s["deadline_s"]):
            assert lines["deadline"].get_xdata()[0] == pytest.approx(1e3 * s["deadline_s"])
        else:
            assert "deadline" not in lines
        ecdf = lines["ecdf"]
        assert ecdf.get_ydata()[-1] == pytest.approx(1.0)
        assert ecdf.get_xdata()[-1] / 1e3 == pytest.approx(s["latency_max_s"], rel=1e-12)
        hist = [a for a in fig.axes if a is not ax and a.get_shared_x_axes().joined(a, ax)][0]
        assert sum(p.get_height() for p in hist.patches) == s["completed"]   # its twin axes


def test_latency_of_one_pipeline_by_name_or_index(two_file):
    t = partsim.open(two_file)
    assert [a.get_gid() for a in plots.latency(t, pipeline="park").axes
            if a.get_gid()] == ["pipeline:park"]
    assert [a.get_gid() for a in plots.latency(t, pipeline=0).axes
            if a.get_gid()] == ["pipeline:detect"]
    with pytest.raises(ValueError, match=r"no pipeline 'x'; it has: 0 \(detect\), 1 \(park\)"):
        plots.latency(t, pipeline="x")


# --- utilisation -------------------------------------------------------------------------------

def test_utilisation_per_bin_integrates_to_each_nodes_busy_time(run_file):
    t = partsim.open(run_file)
    nodes, f = t["nodes"], t["frames"]
    fig = plots.utilisation(t, bin_s=0.05)
    busy = by_gid(fig.axes[0].patches, "node:")
    assert sorted(busy) == sorted(f"node:{n}" for n in nodes.name)
    for _, n in nodes.iterrows():
        values, edges, _ = busy[f"node:{n['name']}"].get_data()   # values, edges, baseline
        assert np.allclose(np.diff(edges), 0.05) and edges[0] == 0
        assert values.max() <= 1 + 1e-9
        assert values.sum() * 0.05 == pytest.approx(n["busy_s"], rel=1e-6), n["name"]
    # The NIC rows: the sender's transfer time; the first hop's /links busy_s within 1 %
    # (a transfer's interval also holds the later hops' latency and store-and-forward).
    nic = by_gid(fig.axes[1].patches, "nic:")
    links = t["links"].set_index("name")
    for cam in ("cam0", "cam5"):
        mine = f[f.source_name == cam]
        sent = nic[f"nic:{cam}"].get_data().values.sum() * 0.05
        assert sent == pytest.approx((mine.t1_end_s - mine.t1_start_s).sum(), rel=1e-6)
        assert sent == pytest.approx(links.loc[f"{cam}-sw0", "busy_s"], rel=0.01)
    queue = by_gid(fig.axes[2].patches, "queue:")["queue:ecu"].get_data().values
    assert queue.sum() * 0.05 == pytest.approx((f.s1_start_s - f.s1_queue_in_s).sum(), rel=1e-6)


def test_utilisation_counts_a_batch_once_and_draws_many_nodes_as_a_heat_map(batch_file,
                                                                            run_file):
    t = partsim.open(batch_file)
    f = t["frames"]
    per_frame = (f.s1_end_s - f.s1_start_s).sum()
    cloud = t["nodes"].set_index("name").loc["cloud", "busy_s"]
    assert per_frame == pytest.approx(4 * cloud, rel=1e-6)      # 4 frames share an interval
    fig = plots.utilisation(t, bin_s=0.01)
    values = by_gid(fig.axes[0].patches, "node:")["node:cloud"].get_data().values
    assert values.sum() * 0.01 == pytest.approx(cloud, rel=1e-6)

    t = partsim.open(run_file)
    fig = plots.utilisation(t, max_lines=3)
    image = by_gid(fig.axes[0].images, "nodes")["nodes"]
    matrix = np.asarray(image.get_array())
    width = image.get_extent()[1] / matrix.shape[1]
    assert 40 <= matrix.shape[1] <= 250                   # about 100 bins by default
    assert np.allclose(matrix.sum(axis=1) * width, t["nodes"].busy_s, rtol=1e-6)


# --- energy ------------------------------------------------------------------------------------

def test_energy_bars_add_up_to_each_nodes_and_links_energy(run_file):
    t = partsim.open(run_file)
    nodes, links, layers = t["nodes"], t["links"], t["layers"]
    fig = plots.energy(t)
    axes = by_gid(fig.axes, "")
    parts, total = bar_sums(axes["nodes"])
    assert sorted(parts) == ["dynamic", "static"]
    assert np.allclose(total, nodes.energy_j, rtol=1e-9)
    assert [x.get_text() for x in axes["nodes"].get_xticklabels()] == nodes.name.tolist()
    parts, total = bar_sums(axes["links"])
    assert sorted(parts) == ["active", "idle", "lpi"]
    assert np.allclose(total, links.energy_j, rtol=1e-9)
    # One axes per distinct cost table: the 8 cameras share one, the ECU has its own.
    assert sorted(g for g in axes if g.startswith("layers:")) == [
        "layers:cam0,cam1,cam2,cam3,cam4,cam5,cam6,cam7", "layers:ecu"]
    for gid, node in (("layers:cam0,cam1,cam2,cam3,cam4,cam5,cam6,cam7", "cam0"),
                      ("layers:ecu", "ecu")):
        top = by_gid(axes[gid].patches, "layer:")["layer:static"].get_data().values
        mine = layers[layers.node_name == node].sort_values("index")
        assert np.allclose(top, 1e3 * mine.energy_j, rtol=1e-9)   # the parts sum to energy_j
        assert by_gid(axes[gid].lines, "cut")["cut"].get_xdata()[0] == 3.5


def test_energy_of_many_nodes_sums_them_per_name_pattern(run_file):
    t = partsim.open(run_file)
    nodes, links = t["nodes"], t["links"]
    axes = by_gid(plots.energy(t, max_bars=4).axes, "")
    _, total = bar_sums(axes["nodes"])
    assert [x.get_text() for x in axes["nodes"].get_xticklabels()] == ["cam* (8)", "ecu (1)"]
    cams = nodes.name.str.startswith("cam")
    assert total == pytest.approx([nodes.energy_j[cams].sum(), nodes.energy_j[~cams].sum()])
    _, total = bar_sums(axes["links"])
    assert [x.get_text() for x in axes["links"].get_xticklabels()] == [
        "cam*-sw* (8)", "sw*-ecu (1)"]
    assert total.sum() == pytest.approx(links.energy_j.sum())


# --- explore -----------------------------------------------------------------------------------

def test_partition_points_stack_sensor_link_edge_to_each_candidates_total(explore_file):
    t = partsim.open(explore_file)
    cand = t["explore/candidates"]
    fig = plots.partition_points(t)
    lat, en = fig.axes[:2]
    parts, total = bar_sums(lat)
    assert list(parts) == ["s0 (eyr)", "link", "s1 (smb)"]
    assert np.allclose(total, 1e3 * cand.latency_s, rtol=1e-6)
    assert np.allclose(parts["link"], 1e3 * (cand.t0_time_s + cand.t1_time_s + cand.t2_time_s))
    xs = [p.get_x() + p.get_width() / 2 for p in lat.containers[0]]
    assert np.allclose(xs, cand.cuts.astype(int))              # x is the cut position
    _, total = bar_sums(en)
    assert np.allclose(total, 1e3 * cand.energy_j, rtol=1e-6)
    pick = by_gid(lat.lines, "pick")["pick"]
    assert pick.get_xdata()[0] == int(t["explore/pick"].cuts[0])
    parts, _ = bar_sums(plots.partition_points(t, rows="front").axes[0])
    assert len(parts["link"]) == len(t["explore/front"])


def test_partition_points_refuse_an_exploration_without_a_per_stage_split(explore_file, tmp_path):
    bare = tmp_path / "bare.h5"
    bare.write_bytes(explore_file.read_bytes())
    with h5py.File(bare, "a") as h:
        rows = h["/explore/candidates"][:]
        keep = [n for n in rows.dtype.names if not n[0] in "st" or not n[1].isdigit()]
        del h["/explore/candidates"]
        h.create_dataset("/explore/candidates", data=rows[keep].copy())
    with pytest.raises(ValueError, match=r"/explore/candidates of .* has no per-stage split "
                                         r"\(expected s<k>_latency_s.*it has: cuts, platforms"):
        plots.partition_points(partsim.open(bare), rows="candidates")


def test_pareto_draws_the_front_baselines_and_pick_over_every_candidate(explore_file):
    t = partsim.open(explore_file)
    cand, front = t["explore/candidates"], t["explore/front"]
    base, pick = t["explore/baselines"], t["explore/pick"]
    ax = plots.pareto(t, "latency_s", "energy_j").axes[0]
    got = by_gid(ax.collections, "")
    points = got["front"].get_offsets()
    assert len(points) == len(front)
    assert np.allclose(points, np.column_stack([1e3 * front.latency_s, 1e3 * front.energy_j]))
    assert len(by_gid(ax.lines, "candidates")["candidates"].get_xdata()) == len(cand)
    assert np.allclose(got["baselines"].get_offsets(),
                       np.column_stack([1e3 * base.latency_s, 1e3 * base.energy_j]))
    labels = [a.get_text() for a in ax.texts if a.get_gid() == "baseline-label"]
    assert labels == base.platforms.tolist() == ["eyr", "smb"]
    assert np.allclose(got["pick"].get_offsets(), [[1e3 * pick.latency_s[0],
                                                    1e3 * pick.energy_j[0]]])
    ax = plots.pareto(t, "latency_s", "throughput_fps").axes[0]
    assert ax.get_ylabel() == "throughput_fps (1/s) (higher is better)"
    assert np.allclose(by_gid(ax.collections, "front")["front"].get_offsets()[:, 1],
                       front.throughput_fps)
    with pytest.raises(ValueError, match=r"'nope' is not a numeric column of "
                                         r"/explore/candidates; it has: latency_s"):
        plots.pareto(t, x="nope")


# --- sweep -------------------------------------------------------------------------------------

def test_sweep_heat_map_cells_are_the_points_metric(sweep_file):
    t = partsim.open(sweep_file)
    pts = t["sweep/points"]
    assert plots.swept_columns(t) == ["nodes_0_count", "network_links_0_type"]
    ax = plots.sweep(t, "latency_p99_s").axes[0]
    image = by_gid(ax.images, "heatmap")["heatmap"]
    want = (pts.pivot(index="network_links_0_type", columns="nodes_0_count",
                      values="latency_p99_s").loc[["100BASE-TX", "1000BASE-T"], [2.0, 4.0]])
    assert np.allclose(np.asarray(image.get_array()), 1e3 * want.to_numpy(), rtol=1e-12)
    cells = [float(c.get_text()) for c in ax.texts if c.get_gid() == "cell"]
    assert np.allclose(cells, 1e3 * want.to_numpy().ravel(), rtol=1e-3)
    assert [x.get_text() for x in ax.get_xticklabels()] == ["2", "4"]
    assert [y.get_text() for y in ax.get_yticklabels()] == ["100BASE-TX", "1000BASE-T"]

    ax = plots.sweep(t, "throughput_fps", x="nodes_0_count").axes[0]
    lines = by_gid(ax.lines, "line:")
    assert sorted(lines) == ["line:network_links_0_type=1000BASE-T",
                             "line:network_links_0_type=100BASE-TX"]
    fast = pts[pts.network_links_0_type == "1000BASE-T"].sort_values("nodes_0_count")
    line = lines["line:network_links_0_type=1000BASE-T"]
    assert np.allclose(line.get_xdata(), fast.nodes_0_count)
    assert np.allclose(line.get_ydata(), fast.throughput_fps)
    with pytest.raises(ValueError, match=r"'nope' is not a numeric column of /sweep/points; "
                                         r"it has: point, seed, nodes_0_count"):
        plots.sweep(t, "nope")
    with pytest.raises(ValueError, match=r"no column 'x' in /sweep/points; the swept ones are "
                                         r"nodes_0_count, network_links_0_type"):
        plots.sweep(t, "latency_p99_s", x="x")


def test_sweep_over_seeds_shows_the_mean_and_asks_to_fix_a_third_key(seeds_file):
    t = partsim.open(seeds_file)
    pts = t["sweep/points"]
    assert plots.swept_columns(t) == ["nodes_0_count", "network_links_0_type",
                                      "pipelines_0_source_fps"]
    with pytest.raises(ValueError, match=r"these vary: pipelines_0_source_fps = 10fps, 20fps"):
        plots.sweep(t, "latency_p50_s")
    ax = plots.sweep(t, "latency_p50_s", where={"pipelines_0_source_fps": 20.0}).axes[0]
    assert "mean of 2 seeds" in ax.get_title()
    at20 = pts[pts.pipelines_0_source_fps == 20.0]
    want = at20.groupby(["network_links_0_type", "nodes_0_count"]).latency_p50_s.mean()
    want = want.unstack().loc[["100BASE-TX", "1000BASE-T"], [2.0, 3.0]]
    image = by_gid(ax.images, "heatmap")["heatmap"]
    assert np.allclose(np.asarray(image.get_array()), 1e3 * want.to_numpy(), rtol=1e-12)
    lines = by_gid(plots.sweep(t, "latency_p50_s", x="nodes_0_count").axes[0].lines, "line:")
    assert len(lines) == 4            # 2 link types x 2 frame rates
    line = lines["line:network_links_0_type=100BASE-TX, pipelines_0_source_fps=10fps"]
    mine = pts[(pts.network_links_0_type == "100BASE-TX") & (pts.pipelines_0_source_fps == 10)]
    assert np.allclose(line.get_ydata(), 1e3 * mine.groupby("nodes_0_count").latency_p50_s.mean())


# --- wrong input, imports ----------------------------------------------------------------------

def test_every_plot_refuses_a_file_of_another_kind(run_file, explore_file, sweep_file):
    run, explore, sweep = (partsim.open(p) for p in (run_file, explore_file, sweep_file))
    cases = [(plots.timeline, explore, "run"), (plots.latency, sweep, "run"),
             (plots.utilisation, explore, "run"), (plots.energy, sweep, "run"),
             (plots.partition_points, run, "explore"), (plots.pareto, run, "explore"),
             (lambda t: plots.sweep(t, "latency_p99_s"), explore, "sweep")]
    for draw, t, kind in cases:
        with pytest.raises(partsim.TraceError, match=rf"needs an? {kind} file .*; {t.path} is "
                                                     rf"an? {t.kind} file with the tables"):
            draw(t)


def test_import_partsim_needs_no_matplotlib_and_plots_never_touch_pyplot(run_file):
    code = ("import sys, partsim\n"
            "assert 'matplotlib' not in sys.modules\n"
            f"t = partsim.open({str(run_file)!r})\n"
            "fig = partsim.plots.latency(t)\n"
            "assert type(fig).__module__ == 'matplotlib.figure'\n"
            "assert 'matplotlib.pyplot' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO / "analysis")), timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_pareto_defaults_to_the_explorations_own_objectives(partsim_bin, tmp_path):
    out = tmp_path / "tput.h5"
    proc = partsim_bin("explore", EXAMPLES / "kress-chain.yaml", "-o", out, "--quiet",
                       "--objectives", "throughput,energy")
    assert proc.returncode == 0, proc.stderr
    t = partsim.open(out)
    assert t.attrs["objectives"] == "throughput,energy"
    fig = partsim.plots.pareto(t)
    ax = fig.axes[0]
    assert "throughput" in ax.get_xlabel() and "energy" in ax.get_ylabel()
