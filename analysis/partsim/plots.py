"""Figures of partsim's files: each function takes an opened file (partsim.open) and returns a
matplotlib Figure.

    import partsim, partsim.plots
    t = partsim.open("out/adas-8cam.h5")
    fig = partsim.plots.latency(t)        # a matplotlib.figure.Figure
    fig.savefig("latency.png", dpi=120)

run files:     timeline, latency, utilisation, energy
explore files: partition_points, pareto
sweep files:   sweep

The figures are built with matplotlib.figure.Figure, not pyplot: nothing is registered with
pyplot's figure manager, so nothing leaks and no GUI backend is needed (a notebook shows the
returned Figure; a script saves it).  The trace is in SI units; the axes show milliseconds and
millijoules where that reads better, and say so.  Artists that carry the numbers have a gid
("p99", "front", "node:ecu", ...) so a test or a notebook can find them again.

A file of the wrong kind raises partsim.TraceError; a column, metric or pipeline that the file
does not have raises ValueError; both name what was expected and what the file has.
"""
import math
import re

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

from partsim.trace import TraceError, percentile

__all__ = ["timeline", "latency", "utilisation", "energy", "partition_points", "pareto", "sweep",
           "swept_columns"]

# How a quantity in SI is shown on an axis: (factor, unit shown).
_DISPLAY = {"s": (1e3, "ms"), "J": (1e3, "mJ"), "B": (1e-6, "MB"), "bit/s": (1e-6, "Mbit/s"),
            "1/s": (1.0, "1/s"), "1": (1.0, "")}


# --- reading -----------------------------------------------------------------------------------

def _need(t, kind, plot, how):
    if t.kind != kind:
        raise TraceError(f"{plot} needs a {kind} file ({how}); {t.path} is a {t.kind} file "
                         f"with the tables {', '.join(t.tables)}")


def _columns(t, table, names):
    """The columns `names` of `table` as a dict of numpy arrays.  Only those fields are read
    from the file, through the Trace's open h5py file (no string decoding, no DataFrame),
    which keeps /frames of millions of rows cheap; a table already read as a DataFrame is
    taken from there."""
    missing = [n for n in names if n not in _column_names(t, table)]
    if missing:
        raise ValueError(f"{t.path}: /{table} has no column {', '.join(missing)}; it has: "
                         f"{', '.join(_column_names(t, table))}")
    cached = getattr(t, "_cache", {}).get(table)
    if cached is not None or not hasattr(t, "_h5"):
        df = t[table]
        return {n: df[n].to_numpy() for n in names}
    data = t._h5["/" + table].fields(list(names))[:]
    if data.dtype.names is None:     # some h5py versions give a plain array for one field
        return {names[0]: data}
    return {n: data[n] for n in names}


def _column_names(t, table):
    if table not in t.tables:
        raise TraceError(f"{t.path} has no table '{table}'; it has: {', '.join(t.tables)}")
    if hasattr(t, "_h5"):
        return list(t._h5["/" + table].dtype.names)
    return list(t[table].columns)


def _groups(names, pattern):
    """The k of every column named like pattern (a regex with one group), sorted."""
    return sorted(int(m.group(1)) for m in (re.fullmatch(pattern, n) for n in names) if m)


def _display(t, table, column):
    """(factor, axis label) of a column: its name with the unit it is shown in."""
    unit = t.units.get(table, {}).get(column)
    factor, shown = _DISPLAY.get(unit, (1.0, unit or ""))
    return factor, f"{column} ({shown})" if shown else column


def _text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


# --- binning -----------------------------------------------------------------------------------

def _overlap_per_bin(starts, ends, edges):
    """For each bin [edges[j], edges[j+1]): the sum over the intervals [starts[i], ends[i]) of
    the time they overlap the bin (s).  With F(e) = sum_i clip(e - starts_i, 0, ends_i - starts_i),
    the time the intervals cover before e, a bin's share is F(edges[j+1]) - F(edges[j]), and
    F(e) = sum_{starts_i <= e} (e - starts_i) - sum_{ends_i <= e} (e - ends_i): two sorted
    arrays, their prefix sums and one searchsorted each, O(n log n) for any number of bins."""
    a, b = np.sort(starts), np.sort(ends)
    sum_a = np.concatenate([[0.0], np.cumsum(a)])
    sum_b = np.concatenate([[0.0], np.cumsum(b)])
    na = np.searchsorted(a, edges, side="right")
    nb = np.searchsorted(b, edges, side="right")
    covered = (na * edges - sum_a[na]) - (nb * edges - sum_b[nb])
    return np.maximum(np.diff(covered), 0.0)     # no -1e-12 where nothing happened


def _nice_bin(span_s, bins=100):
    """A round bin width (1, 2 or 5 times a power of ten, s) giving about `bins` bins."""
    if not span_s > 0:
        return 1.0
    raw = span_s / bins
    p = 10.0 ** math.floor(math.log10(raw))
    return min((m * p for m in (1, 2, 5, 10)), key=lambda w: abs(math.log(w / raw)))


def _intervals(start, end):
    """The intervals that happened and took time: both ends known, end > start."""
    return np.isfinite(start) & np.isfinite(end) & (end > start)


# --- run files ---------------------------------------------------------------------------------

def _frames_layout(t):
    """Stage and transfer group numbers of a run's /frames."""
    names = _column_names(t, "frames")
    return _groups(names, r"s(\d+)_node"), _groups(names, r"t(\d+)_start_s")


def _senders(cols, k):
    """The node sending transfer k of every frame: the camera for t0, stage k - 1's node for
    t{k} (k >= 1, the result back to the camera included): the node whose NIC sends it."""
    return cols["source"] if k == 0 else cols[f"s{k - 1}_node"]


def _camera_colours(sources):
    """A colour per camera (source node index), stable over windows: by the camera's rank
    among every camera of the file."""
    cams = np.unique(sources)
    cmap = colormaps["tab10" if len(cams) <= 10 else "tab20"]
    return {int(c): cmap(i % cmap.N) for i, c in enumerate(cams)}


def timeline(t, start_s=None, end_s=None, max_frames=40):
    """Gantt chart of a run: when each frame held a node's accelerator (a stage, from /frames
    s<k>_start_s .. s<k>_end_s) and when it was on the wire (a transfer, t<k>_start_s ..
    t<k>_end_s, drawn on the row of the sending node's NIC: the camera for t0, stage k - 1's
    node for t<k>), one row per accelerator and per NIC, bars coloured by camera.

    Window: without start_s and end_s, the first `max_frames` frames by capture time, whole;
    with either (s, run time), the frames with an interval in [start_s, end_s], at most the
    first `max_frames` of them by capture time (the title says when more were left out).
    Only intervals that took time are drawn (a transfer of 0 bytes, t0 when stage 0 runs on
    the camera, is not).  x axis: run time in ms.  One broken_barh collection per row, gid
    "stage:<node>" or "transfer:<node>"."""
    _need(t, "run", "timeline", "partsim run -o FILE")
    if max_frames < 1:
        raise ValueError(f"timeline: max_frames = {max_frames}, expected 1 or more")
    stages, transfers = _frames_layout(t)
    names = t["nodes"]["name"].tolist()
    cols = _columns(t, "frames", ["source", "capture_s"]
                    + [f"s{k}_{c}" for k in stages for c in ("node", "start_s", "end_s")]
                    + [f"t{k}_{c}" for k in transfers for c in ("start_s", "end_s")])
    if len(cols["capture_s"]) == 0:
        raise ValueError(f"timeline: {t.path} has no frames")
    spans = [(cols[f"s{k}_start_s"], cols[f"s{k}_end_s"]) for k in stages]
    spans += [(cols[f"t{k}_start_s"], cols[f"t{k}_end_s"]) for k in transfers]
    with np.errstate(all="ignore"):
        first = np.fmin.reduce([cols["capture_s"]] + [s for s, _ in spans])
        last = np.fmax.reduce([cols["capture_s"]] + [e for _, e in spans])

    if start_s is None and end_s is None:
        order = np.argsort(cols["capture_s"], kind="stable")
        chosen = order[:max_frames]
        lo, hi = float(first[chosen].min()), float(last[chosen].max())
        shown = len(chosen)
        what = f"the first {shown} frames by capture time"
    else:
        lo = -math.inf if start_s is None else float(start_s)
        hi = math.inf if end_s is None else float(end_s)
        if hi < lo:
            raise ValueError(f"timeline: end_s = {end_s} s is before start_s = {start_s} s")
        inside = np.nonzero((last >= lo) & (first <= hi))[0]
        inside = inside[np.argsort(cols["capture_s"][inside], kind="stable")]
        chosen = inside[:max_frames]
        if len(chosen) == 0:
            raise ValueError(f"timeline: no frame has an interval in [{start_s}, {end_s}] s; "
                             f"the run's frames span {np.nanmin(first):.6g} .. "
                             f"{np.nanmax(last):.6g} s")
        lo = float(first[chosen].min()) if start_s is None else lo
        hi = float(last[chosen].max()) if end_s is None else hi
        shown = len(chosen)
        what = (f"{shown} frames in {lo * 1e3:.1f} .. {hi * 1e3:.1f} ms"
                + (f" (the first {shown} of {len(inside)} by capture time)"
                   if len(inside) > shown else ""))

    colours = _camera_colours(cols["source"])
    rows = {}       # (node, kind) -> ([(start, width)], [colour])

    def add(kind, nodes, start, end):
        ok = _intervals(start, end) & (end >= lo) & (start <= hi) & (nodes >= 0)
        for n, s, e, src in zip(nodes[ok], start[ok], end[ok], cols["source"][chosen][ok]):
            bars, cs = rows.setdefault((int(n), kind), ([], []))
            bars.append((s * 1e3, (e - s) * 1e3))
            cs.append(colours[int(src)])

    for k in stages:
        add("stage", cols[f"s{k}_node"][chosen], cols[f"s{k}_start_s"][chosen],
            cols[f"s{k}_end_s"][chosen])
    for k in transfers:
        add("transfer", _senders(cols, k)[chosen], cols[f"t{k}_start_s"][chosen],
            cols[f"t{k}_end_s"][chosen])

    order = sorted(rows, key=lambda r: (r[0], r[1] != "stage"))
    # A row is 0.32 in high, down to thinner rows past 36 in (a window of many cameras).
    fig = Figure(figsize=(11, 1.2 + min(0.32 * max(len(order), 3), 36)), layout="constrained")
    ax = fig.subplots()
    for y, key in enumerate(order):
        bars, cs = rows[key]
        ax.broken_barh(bars, (y - 0.4, 0.8), facecolors=cs, edgecolor="black", linewidth=0.3,
                       gid=f"{key[1]}:{_node_name(names, key[0])}")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"{_node_name(names, n)} {'accel' if kind == 'stage' else 'NIC'}"
                        for n, kind in order], fontsize="medium" if len(order) <= 60 else
                       max(3.0, 10.0 * 60 / len(order)))
    ax.set_ylim(len(order) - 0.5, -0.5)
    if math.isfinite(lo) and math.isfinite(hi) and hi > lo:
        ax.set_xlim(lo * 1e3, hi * 1e3)
    ax.set_xlabel("run time (ms)")
    ax.set_title(f"Timeline: {what}")
    ax.grid(axis="x", alpha=0.3)
    cams = sorted({int(c) for c in cols["source"][chosen]})
    if len(cams) <= 20:
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(color=colours[c], label=_node_name(names, c)) for c in cams],
                  title="camera", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


def _node_name(names, i):
    return names[i] if 0 <= i < len(names) else f"node {i}"


def _pipelines(t, pipeline):
    """The /summary rows to plot: all, or one by index or name."""
    summary = t["summary"]
    if pipeline is None:
        return summary
    if isinstance(pipeline, str):
        rows = summary[summary["name"] == pipeline]
    else:
        rows = summary[summary["pipeline"] == int(pipeline)]
    if rows.empty:
        raise ValueError(f"{t.path} has no pipeline {pipeline!r}; it has: "
                         + ", ".join(f"{p} ({n})" for p, n in zip(summary.pipeline, summary.name)))
    return rows


def latency(t, pipeline=None):
    """End-to-end latency of a run's completed frames (/frames latency_s), one axes per
    pipeline (all, or `pipeline`: its index or name): the ECDF (line, left axis: fraction of
    frames at or below) over a histogram (bars, right axis: frames per bin), in ms.  Vertical
    lines: p50, p95 and p99 by partsim.percentile (nearest rank, as /summary computes them;
    gid "p50", "p95", "p99") and the pipeline's deadline (/summary deadline_s, gid
    "deadline"; none when it is NaN)."""
    _need(t, "run", "latency", "partsim run -o FILE")
    rows = _pipelines(t, pipeline)
    cols = _columns(t, "frames", ["pipeline", "latency_s"])
    fig = Figure(figsize=(9, 0.6 + 3.2 * len(rows)), layout="constrained")
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, (_, row) in zip(axes, rows.iterrows()):
        lat = cols["latency_s"][cols["pipeline"] == row["pipeline"]]
        lat = np.sort(lat[np.isfinite(lat)]) * 1e3
        ax.set_gid(f"pipeline:{row['name']}")
        ax.set_title(f"Latency of pipeline {row['name']}: {len(lat)} completed frames")
        ax.set_xlabel("end-to-end latency (ms)")
        ax.set_ylabel("fraction of frames ≤ latency")
        if len(lat) == 0:
            ax.text(0.5, 0.5, "no completed frames", transform=ax.transAxes, ha="center")
            continue
        hist = ax.twinx()
        hist.hist(lat, bins=min(60, max(10, int(math.sqrt(len(lat))))), color="0.82",
                  gid="histogram")
        hist.set_ylabel("frames per bin")
        ax.set_zorder(hist.get_zorder() + 1)
        ax.patch.set_visible(False)
        # The ECDF at up to 4000 points: enough for any screen, fast for a million frames.
        idx = np.unique(np.linspace(0, len(lat) - 1, min(len(lat), 4000)).astype(int))
        ax.step(lat[idx], (idx + 1) / len(lat), where="post", color="C0", gid="ecdf",
                label="ECDF")
        ax.set_ylim(0, 1.02)
        for q, colour in ((50, "C2"), (95, "C1"), (99, "C3")):
            v = percentile(lat, q)
            ax.axvline(v, color=colour, linestyle="-", linewidth=1.2, gid=f"p{q}",
                       label=f"p{q} {v:.3f} ms")
        deadline = row["deadline_s"]
        if np.isfinite(deadline):
            ax.axvline(deadline * 1e3, color="red", linestyle="--", linewidth=1.5,
                       gid="deadline", label=f"deadline {deadline * 1e3:.3g} ms")
        ax.legend(loc="lower right", fontsize="small")
    return fig


def utilisation(t, bin_s=None, max_lines=12):
    """Utilisation of a run over time, per bin of `bin_s` seconds (default: a round width
    giving about 100 bins), from /frames, in three axes sharing the time axis (s):

    - nodes: the fraction of each bin a node's accelerator was busy (its stage intervals
      s<k>_start_s .. s<k>_end_s; a batch's frames share one interval, counted once);
    - NICs: the fraction of each bin a node was sending (transfer intervals t<k>, on the
      sending node as in `timeline`; a transfer's interval spans all its hops, so this is the
      sender's NIC, not one link: /frames has no per-hop times);
    - queues: the mean number of frames waiting for a node's accelerator in each bin (between
      s<k>_queue_in_s and s<k>_start_s).  A frame dropped from a queue has no start, and
      /frames does not say when it was dropped, so it is left out.

    Each resource is a step line (matplotlib StepPatch, gid "node:<name>", "nic:<name>",
    "queue:<name>": get_data() gives the per-bin values and the edges); with more than
    `max_lines` resources in an axes, a heat map (one row per resource, gid "nodes", "nics",
    "queues") instead.  A node's busy fraction summed over the bins, times bin_s, is its busy
    time (/nodes busy_s)."""
    _need(t, "run", "utilisation", "partsim run -o FILE")
    stages, transfers = _frames_layout(t)
    names = t["nodes"]["name"].tolist()
    cols = _columns(t, "frames", ["source"]
                    + [f"s{k}_{c}" for k in stages
                       for c in ("node", "queue_in_s", "start_s", "end_s")]
                    + [f"t{k}_{c}" for k in transfers for c in ("start_s", "end_s")])
    ends = [cols[f"s{k}_end_s"] for k in stages] + [cols[f"t{k}_end_s"] for k in transfers]
    finite = [e[np.isfinite(e)] for e in ends]
    span = max((float(e.max()) for e in finite if len(e)), default=0.0)
    if span <= 0:
        raise ValueError(f"utilisation: {t.path} has no stage or transfer that took time")
    if bin_s is None:
        bin_s = _nice_bin(span)
    if not bin_s > 0:
        raise ValueError(f"utilisation: bin_s = {bin_s}, expected a positive time in s")
    bins = int(math.ceil(span / bin_s))
    if bins > 1_000_000:
        raise ValueError(f"utilisation: bin_s = {bin_s} s makes {bins} bins of a {span:.6g} s "
                         "run; at most 1,000,000")
    edges = np.arange(bins + 1) * float(bin_s)

    def per_resource(node_of, start_of, end_of, groups, dedupe):
        out = {}
        node = np.concatenate([node_of(k) for k in groups])
        start = np.concatenate([start_of(k) for k in groups])
        end = np.concatenate([end_of(k) for k in groups])
        ok = _intervals(start, end) & (node >= 0)
        order = np.argsort(node[ok], kind="stable")      # one slice per node, no mask per node
        node, start, end = node[ok][order], start[ok][order], end[ok][order]
        keys, first = np.unique(node, return_index=True)
        for n, lo, hi in zip(keys, first, np.append(first[1:], len(node))):
            s, e = start[lo:hi], end[lo:hi]
            if dedupe:                      # a batch: N frames, one interval
                pairs = np.unique(np.stack([s, e], axis=1), axis=0)
                s, e = pairs[:, 0], pairs[:, 1]
            out[int(n)] = _overlap_per_bin(s, e, edges) / bin_s
        return out

    busy = per_resource(lambda k: cols[f"s{k}_node"], lambda k: cols[f"s{k}_start_s"],
                        lambda k: cols[f"s{k}_end_s"], stages, True)
    nic = per_resource(lambda k: _senders(cols, k), lambda k: cols[f"t{k}_start_s"],
                       lambda k: cols[f"t{k}_end_s"], transfers, False)
    queue = per_resource(lambda k: cols[f"s{k}_node"], lambda k: cols[f"s{k}_queue_in_s"],
                         lambda k: cols[f"s{k}_start_s"], stages, False)

    fig = Figure(figsize=(11, 9), layout="constrained")
    axes = fig.subplots(3, 1, sharex=True)
    panels = ((axes[0], busy, "node", "nodes", "accelerator busy fraction"),
              (axes[1], nic, "nic", "nics", "NIC sending fraction"),
              (axes[2], queue, "queue", "queues", "mean frames waiting"))
    for ax, series, prefix, plural, ylabel in panels:
        ax.set_ylabel(ylabel)
        if not series:
            ax.text(0.5, 0.5, f"no {plural} activity", transform=ax.transAxes, ha="center")
            continue
        if len(series) <= max_lines:
            for i, n in enumerate(sorted(series)):
                ax.stairs(series[n], edges, color=colormaps["tab20"](i % 20), linewidth=1.2,
                          label=_node_name(names, n), gid=f"{prefix}:{_node_name(names, n)}")
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
            if prefix != "queue":
                ax.set_ylim(0, max(1.05, max(float(v.max()) for v in series.values()) * 1.05))
        else:
            keys = sorted(series)
            matrix = np.vstack([series[n] for n in keys])
            im = ax.imshow(matrix, aspect="auto", interpolation="nearest", cmap="viridis",
                           extent=(0, edges[-1], len(keys) - 0.5, -0.5), gid=plural,
                           vmin=0, vmax=1 if prefix != "queue" else None)
            step = max(1, len(keys) // 24)
            ax.set_yticks(range(0, len(keys), step))
            ax.set_yticklabels([_node_name(names, keys[i]) for i in range(0, len(keys), step)])
            # The colour bar inside the axes' box on the right, so that the three axes keep
            # one width and their time axes line up.
            cax = ax.inset_axes([1.01, 0.0, 0.015, 1.0])
            fig.colorbar(im, cax=cax, label=ylabel)
    axes[0].set_title(f"Utilisation per {bin_s * 1e3:.4g} ms bin")
    axes[2].set_xlabel("run time (s)")
    axes[2].set_xlim(0, edges[-1])
    return fig


_NODE_PARTS = ("energy_dynamic_j", "energy_static_j")
_LINK_PARTS = ("energy_active_j", "energy_idle_j", "energy_lpi_j")
_LAYER_PARTS = ("mac", "rf", "interpe", "glb", "dram", "clock", "ctrl", "static")


def energy(t, max_bars=40, max_tables=6):
    """Energy of a run: per node (/nodes energy_dynamic_j + energy_static_j, stacked) and per
    link (/links energy_active_j + energy_idle_j + energy_lpi_j), in J over the whole run; and
    per layer, what one frame costs on each node's accelerator (/layers energy_<part>_j
    stacked as filled steps, one per layer, parts mac rf interpe glb dram clock ctrl static, in
    mJ), one axes per distinct cost table (nodes of one accelerator share it; at most
    `max_tables` axes).  With more than `max_bars` nodes (links), one bar per name pattern
    instead, digits as '*' ("cam*" for cam0 .. cam1023, "cam*-pole*"), its height the sum
    over the pattern's nodes (links) and its label the count.  The first cut
    (/frames cut, when every frame has the same) is a dashed line: stage 0 runs the layers up
    to it.  Nodes and links: BarContainers labelled with the part ("dynamic", "static",
    "active", "idle", "lpi"); layers: StepPatches, gid "layer:<part>"."""
    _need(t, "run", "energy", "partsim run -o FILE")
    nodes, links = t["nodes"], t["links"]
    tables = []
    if "layers" in t.tables:
        layers = t["layers"]
        parts = [p for p in _LAYER_PARTS if f"energy_{p}_j" in layers.columns]
        for n, group in layers.groupby("node", sort=True):
            key = (tuple(group["name"]), group["energy_j"].to_numpy().tobytes())
            for entry in tables:
                if entry[0] == key:
                    entry[1].append(int(n))
                    break
            else:
                tables.append((key, [int(n)], group.sort_values("index")))
    shown = tables[:max_tables]
    fig = Figure(figsize=(11, 3.8 + 3.0 * len(shown)), layout="constrained")
    grid = fig.add_gridspec(1 + len(shown), 2)
    ax_nodes, ax_links = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    for ax, df, columns, what in ((ax_nodes, nodes, _NODE_PARTS, "nodes"),
                                  (ax_links, links, _LINK_PARTS, "links")):
        columns = [c for c in columns if c in df.columns]
        if len(df) > max_bars:
            df = _by_pattern(df, columns)
        _stacked(ax, df["name"].tolist(),
                 [(c.replace("energy_", "").replace("_j", ""), df[c].to_numpy())
                  for c in columns], what)
    ax_nodes.set_ylabel("energy over the run (J)")
    ax_nodes.set_title(f"Nodes: {nodes['energy_j'].sum():.4g} J")
    ax_links.set_ylabel("energy over the run (J)")
    ax_links.set_title(f"Links: {links['energy_j'].sum():.4g} J" if len(links) else "Links: none")

    cut = None
    if "cut" in _column_names(t, "frames"):
        cuts = np.unique(_columns(t, "frames", ["cut"])["cut"])
        cut = int(cuts[0]) if len(cuts) == 1 and cuts[0] >= 0 else None
    names = nodes["name"].tolist()
    for row, (_, members, group) in enumerate(shown, start=1):
        ax = fig.add_subplot(grid[row, :])
        ax.set_gid("layers:" + ",".join(_node_name(names, n) for n in members))
        # One filled step patch per part (a bar per layer and part would be thousands of
        # patches, slow to draw): layer i is the step from i - 0.5 to i + 0.5.
        idx = group["index"].to_numpy()
        edges = np.append(idx - 0.5, idx[-1] + 0.5) if len(idx) else np.zeros(1)
        bottom = np.zeros(len(group))
        for i, p in enumerate(parts):
            v = np.nan_to_num(group[f"energy_{p}_j"].to_numpy() * 1e3)
            ax.stairs(bottom + v, edges, baseline=bottom.copy(), fill=True, label=p,
                      color=colormaps["tab10"](i), gid=f"layer:{p}")
            bottom += v
        who = ", ".join(_node_name(names, n) for n in members[:4])
        who += f", ... ({len(members)} nodes)" if len(members) > 4 else ""
        ax.set_title(f"Per layer on {who}: {group['energy_j'].sum() * 1e3:.4g} mJ per frame "
                     "if it ran every layer")
        ax.set_ylabel("energy per frame (mJ)")
        ax.set_xlabel("layer (schedule position)")
        ax.set_ylim(bottom=0)
        if cut is not None:
            ax.axvline(cut + 0.5, color="black", linestyle="--", linewidth=1, gid="cut",
                       label=f"first cut ({cut})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    if len(tables) > len(shown):
        fig.suptitle(f"{len(tables) - len(shown)} more distinct layer tables not shown "
                     f"(max_tables = {max_tables})", fontsize="small")
    return fig


def _by_pattern(df, columns):
    """Rows summed per name pattern (digit runs as '*'), named "<pattern> (<count>)", in the
    order the patterns first appear."""
    pattern = df["name"].str.replace(r"\d+", "*", regex=True)
    sums = df[columns].groupby(pattern, sort=False).sum()
    counts = pattern.value_counts(sort=False).reindex(sums.index)
    sums.insert(0, "name", [f"{p} ({n})" for p, n in zip(sums.index, counts)])
    return sums.reset_index(drop=True)


def _stacked(ax, labels, parts, gid):
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for i, (name, values) in enumerate(parts):
        values = np.nan_to_num(np.asarray(values, dtype=float))
        ax.bar(x, values, bottom=bottom, label=name, color=colormaps["tab10"](i), width=0.75)
        bottom += values
    ax.set_gid(gid)
    ax.set_xticks(x)
    tilt = len(labels) > 4 or sum(len(str(n)) for n in labels) > 48
    ax.set_xticklabels(labels, rotation=30 if tilt else 0, ha="right" if tilt else "center",
                       fontsize="small")
    if parts:
        ax.legend(fontsize="small")


# --- explore files -----------------------------------------------------------------------------

_STAGE_COLOURS = ("C0", "C2", "C4", "C5", "C6", "C8", "C9", "C7")   # stage k; the link is C1


def partition_points(t, rows=None, max_points=200):
    """Latency and energy per partition point of an exploration, each split into the parts
    that add up to it (the CNNParted paper's figure): stage 0 (the sensor's platform), the
    transfers (link), the later stages (edge), stacked, in ms and mJ per frame, from the
    candidates' s<k>_latency_s, s<k>_energy_j, t<k>_time_s and t<k>_energy_j columns.  A dot
    (gid "total") marks the candidate's latency_s / energy_j.

    rows: "candidates", "front" or "baselines"; default "candidates" when it has at most
    `max_points` rows, else "front" (the first `max_points` rows either way).  With one cut and
    a fixed stage order, x is the cut position (tick labels: the layer it follows, from
    /explore/positions); else the rows in order, labelled by cuts and platforms.  Bars:
    BarContainers labelled "s<k> (<platform>)" and "link"."""
    _need(t, "explore", "partition_points", "partsim explore -o FILE")
    if rows is None:
        n = len(_columns(t, "explore/candidates", ["front"])["front"])
        rows = "candidates" if n <= max_points else "front"
    if rows not in ("candidates", "front", "baselines"):
        raise ValueError(f"partition_points: rows = {rows!r}, expected 'candidates', 'front' "
                         "or 'baselines'")
    table = f"explore/{rows}"
    names = _column_names(t, table)
    stages = _groups(names, r"s(\d+)_latency_s")
    transfers = _groups(names, r"t(\d+)_time_s")
    need = ([f"s{k}_latency_s" for k in stages] + [f"s{k}_energy_j" for k in stages]
            + [f"t{k}_time_s" for k in transfers] + [f"t{k}_energy_j" for k in transfers])
    missing = [c for c in need if c not in names]
    if not stages or not transfers or missing:
        raise ValueError(
            f"partition_points: /{table} of {t.path} has no per-stage split (expected "
            f"s<k>_latency_s, s<k>_energy_j, t<k>_time_s, t<k>_energy_j"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + f"); it has: {', '.join(names)}")
    df = t[table].head(max_points)
    if df.empty:
        raise ValueError(f"partition_points: /{table} of {t.path} has no rows")

    labels = _stage_labels(df, stages)
    single_cut = (df["cuts"].astype(str).str.fullmatch(r"\d+").all()
                  and labels[stages[0]] != f"s{stages[0]}")
    if single_cut:
        x = df["cuts"].astype(int).to_numpy()
        positions = (t["explore/positions"].set_index("position")["layer"]
                     if "explore/positions" in t.tables else None)
    else:
        x = np.arange(len(df))
    fig = Figure(figsize=(max(9, min(22, 0.09 * len(df) + 6)), 7.5), layout="constrained")
    ax_lat, ax_en = fig.subplots(2, 1, sharex=True)
    for ax, stage_col, link_col, total_col, unit in (
            (ax_lat, "s{}_latency_s", "t{}_time_s", "latency_s", "ms"),
            (ax_en, "s{}_energy_j", "t{}_energy_j", "energy_j", "mJ")):
        colour = dict(enumerate(_STAGE_COLOURS))
        parts = [(labels[stages[0]], df[stage_col.format(stages[0])].to_numpy(), colour[0])]
        parts.append(("link", sum(df[link_col.format(k)].to_numpy() for k in transfers), "C1"))
        parts += [(labels[k], df[stage_col.format(k)].to_numpy(), colour.get(i + 1, "C7"))
                  for i, k in enumerate(stages[1:])]
        bottom = np.zeros(len(df))
        for label, v, c in parts:
            v = np.nan_to_num(v.astype(float)) * 1e3
            ax.bar(x, v, bottom=bottom, width=0.8, label=label, color=c)
            bottom += v
        top = bottom.max()
        if total_col in df.columns:
            total = df[total_col].to_numpy() * 1e3
            ax.plot(x, total, ls="", marker=".", color="black", markersize=3, gid="total",
                    label=total_col)
            top = max(top, np.nanmax(total))
        ax.set_ylim(0, top * 1.1 if top > 0 else 1)
        ax.set_ylabel(f"{'latency' if unit == 'ms' else 'energy'} per frame ({unit})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
        ax.grid(axis="y", alpha=0.3)
    if "explore/pick" in t.tables and len(t["explore/pick"]):
        pick = t["explore/pick"].iloc[0]
        at = np.nonzero(((df["cuts"] == pick["cuts"]) & (df["platforms"] == pick["platforms"]))
                        .to_numpy())[0]
        if len(at):
            ax_lat.plot(x[at], df["latency_s"].to_numpy()[at] * 1e3, ls="", marker="*",
                        markersize=14, color="gold", markeredgecolor="black", gid="pick",
                        label=f"pick: cuts {pick['cuts']}")
            ax_lat.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    ax_lat.set_title(f"Per partition point: {len(df)} rows of /{table}")
    if single_cut:
        ax_en.set_xlabel("cut (schedule position: the layer it follows)")
        ticks = x if len(x) <= 30 else x[::int(math.ceil(len(x) / 30))]
        ax_en.set_xticks(ticks)
        ax_en.set_xticklabels([f"{p} {_short(positions.get(p, ''))}" if positions is not None
                               else str(p) for p in ticks], rotation=90, fontsize="x-small")
    else:
        ax_en.set_xlabel("row (cuts / platforms)")
        step = max(1, int(math.ceil(len(x) / 30)))
        ax_en.set_xticks(x[::step])
        ax_en.set_xticklabels([f"{c} / {p}" for c, p in zip(df["cuts"].iloc[::step],
                                                            df["platforms"].iloc[::step])],
                              rotation=90, fontsize="x-small")
    return fig


def _short(text, width=28):
    """A long layer name cut to its last `width` characters."""
    text = str(text)
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _stage_labels(df, stages):
    """'s<k> (<node>)' where every row that runs all stages names the same platforms in the
    same order (a chain without --platforms); plain 's<k>' otherwise."""
    full = np.ones(len(df), dtype=bool)
    for k in stages:
        full &= df[f"s{k}_latency_s"].to_numpy() > 0
    platforms = set(df["platforms"][full]) if "platforms" in df.columns else set()
    if len(platforms) == 1:
        names = next(iter(platforms)).split(";")
        if len(names) == len(stages):
            return {k: f"s{k} ({n})" for k, n in zip(stages, names)}
    return {k: f"s{k}" for k in stages}


def pareto(t, x=None, y=None):
    """The Pareto front of an exploration in two of its objectives (default: the first two
    of the file's `objectives` attribute, else x latency_s, y energy_j; any numeric column of
    /explore/candidates): every candidate faded (grey dots,
    gid "candidates"; infeasible ones as crosses, gid "infeasible"), the front (/explore/front,
    gid "front", one point per row), the single-platform baselines (/explore/baselines, squares
    labelled by platform, gid "baselines") and the pick (star, gid "pick").  Times in ms,
    energies in mJ, bytes in MB; an axis spanning more than two decades is logarithmic."""
    _need(t, "explore", "pareto", "partsim explore -o FILE")
    # default: the first two objectives the exploration was over (root attribute
    # `objectives`), else latency and energy
    column = {"latency": "latency_s", "throughput": "throughput_fps", "energy": "energy_j",
              "sensor_energy": "sensor_energy_j", "memory": "memory_bytes",
              "link_bytes": "link_bytes", "accuracy": "accuracy"}
    chosen = [column[o] for o in str(t.attrs.get("objectives", "")).split(",") if o in column]
    if len(chosen) >= 2:
        x, y = x or chosen[0], y or chosen[1]
    x = x or "latency_s"
    y = y or "energy_j"
    table = "explore/candidates"
    names = _column_names(t, table)
    numeric = [n for n in names if t._h5["/" + table].dtype[n].kind in "iuf"] \
        if hasattr(t, "_h5") else names
    for c in (x, y):
        if c not in numeric:
            raise ValueError(f"pareto: {c!r} is not a numeric column of /{table}; it has: "
                             f"{', '.join(numeric)}")
    cand = _columns(t, table, [x, y, "feasible"])
    fx, xlabel = _display(t, table, x)
    fy, ylabel = _display(t, table, y)
    fig = Figure(figsize=(9, 6.5), layout="constrained")
    ax = fig.subplots()
    ok = cand["feasible"] != 0
    ax.plot(cand[x][ok] * fx, cand[y][ok] * fy, ls="", marker=".", markersize=2.5,
            color="0.6", alpha=0.5, rasterized=True, gid="candidates",
            label=f"candidates ({int(ok.sum())})")
    if (~ok).any():
        ax.plot(cand[x][~ok] * fx, cand[y][~ok] * fy, ls="", marker="x", markersize=3,
                color="#e8a0a0", alpha=0.4, rasterized=True, gid="infeasible",
                label=f"infeasible ({int((~ok).sum())})")
    front = t["explore/front"]
    ax.scatter(front[x] * fx, front[y] * fy, s=28, color="C0", edgecolor="black",
               linewidth=0.5, zorder=3, gid="front", label=f"front ({len(front)})")
    if "explore/baselines" in t.tables:
        base = t["explore/baselines"]
        ax.scatter(base[x] * fx, base[y] * fy, s=60, marker="s", color="C1",
                   edgecolor="black", zorder=4, gid="baselines", label="single platform")
        for _, b in base.iterrows():
            ax.annotate(b["platforms"], (b[x] * fx, b[y] * fy), textcoords="offset points",
                        xytext=(6, 4), fontsize="small", gid="baseline-label")
    if "explore/pick" in t.tables and len(t["explore/pick"]):
        pick = t["explore/pick"]
        ax.scatter(pick[x] * fx, pick[y] * fy, s=180, marker="*", color="gold",
                   edgecolor="black", zorder=5, gid="pick",
                   label=f"pick: cuts {pick['cuts'].iloc[0]} on {pick['platforms'].iloc[0]}")
    for set_scale, axis, values in ((ax.set_xscale, ax.xaxis, cand[x] * fx),
                                    (ax.set_yscale, ax.yaxis, cand[y] * fy)):
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v) & (v > 0)]
        if len(v) and v.max() / v.min() > 10:
            set_scale("log")
            axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(ScalarFormatter())
            axis.set_minor_formatter(NullFormatter())
    better = {"throughput_fps": " (higher is better)", "accuracy": " (higher is better)"}
    ax.set_xlabel(xlabel + better.get(x, ""))
    ax.set_ylabel(ylabel + better.get(y, ""))
    ax.set_title(f"Pareto front: {len(front)} of {len(cand[x])} candidates (the front is over "
                 "every objective of the search; this is two of them)", fontsize="medium")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return fig


# --- sweep files -------------------------------------------------------------------------------

def swept_columns(t):
    """The columns of /sweep/points that hold the varied values, one per --vary key (the
    numeric one of a quantity; its '<name>_text' companion is left out).  They stand between
    `seed` and the result columns (`pipeline`, or `ok` for --explore), as sim/sweep_tables.c
    writes them."""
    _need(t, "sweep", "swept_columns", "partsim sweep -o FILE")
    names = _column_names(t, "sweep/points")
    if "seed" not in names:
        raise TraceError(f"{t.path}: /sweep/points has no 'seed' column; it has: "
                         f"{', '.join(names)}")
    first = names.index("seed") + 1
    last = next((i for i in range(first, len(names)) if names[i] in ("pipeline", "ok")),
                len(names))
    span = names[first:last]
    return [c for c in span if not (c.endswith("_text") and c[:-len("_text")] in span)]


def sweep(t, metric, x=None, y=None, where=None):
    """A sweep's metric (a numeric column of /sweep/points: latency_p99_s, throughput_fps,
    energy_per_frame_j, ...) against the swept values.

    - x only (or a sweep of one varied key): one line per value of the other varied keys (and
      per pipeline), metric against x (gid "line:<the other values>").
    - x and y (the default with two or more varied keys: x the first, y the second): a heat
      map (gid "heatmap"; its array holds the values shown, rows y, columns x) with each
      cell's value written in it; every other varied key must then have one value, or be
      fixed by where.
    Numeric values are in ascending order, text values (link types, policies) in the order
    of the points (the --vary list).  where: {column: value} keeps only those points.  Points
    repeated over --seeds are averaged (the title says so); failed points (ok = 0) are gaps.
    Times are shown in ms, energies in mJ (the axis and colour bar say so)."""
    _need(t, "sweep", "sweep", "partsim sweep -o FILE")
    pts = t["sweep/points"]
    axes = swept_columns(t)
    numeric = [c for c in pts.columns if pts[c].dtype.kind in "iuf"]
    if metric not in numeric:
        raise ValueError(f"sweep: {metric!r} is not a numeric column of /sweep/points; it has: "
                         f"{', '.join(numeric)}")
    if x is None and y is None:
        x = axes[0] if axes else "point"
        y = axes[1] if len(axes) >= 2 else None
    for c in (x, y):
        if c is not None and c not in pts.columns:
            raise ValueError(f"sweep: no column {c!r} in /sweep/points; the swept ones are "
                             f"{', '.join(axes) or 'none'}; all: {', '.join(pts.columns)}")
    for c, v in (where or {}).items():
        if c not in pts.columns:
            raise ValueError(f"sweep: where names {c!r}, not a column of /sweep/points; the "
                             f"swept ones are {', '.join(axes)}")
        pts = pts[pts[c] == v]
    if pts.empty:
        raise ValueError(f"sweep: no point of {t.path} matches where = {where}")
    pts = pts.sort_values("point", kind="stable").copy() if "point" in pts else pts.copy()
    if "ok" in pts.columns:
        pts.loc[pts["ok"] == 0, metric] = np.nan
    factor, label = _display(t, "sweep/points", metric)
    pts["_value"] = pts[metric].astype(float) * factor
    others = [c for c in axes if c not in (x, y) and pts[c].nunique() > 1]
    ran = pts[pts["ok"] != 0] if "ok" in pts.columns else pts
    if "pipeline_name" in pts.columns and ran["pipeline_name"].nunique() > 1:
        others.append("pipeline_name")
    repeats = pts.groupby([c for c in (x, y, *others) if c is not None]).size().max()
    note = f" (mean of {repeats} seeds)" if repeats > 1 else ""

    fig = Figure(figsize=(9, 6), layout="constrained")
    ax = fig.subplots()
    if y is None:
        xs = _ordered(pts, x)
        numeric_x = pts[x].dtype.kind in "iuf"
        groups = [((), pts)] if not others else [
            (key if isinstance(key, tuple) else (key,), g)
            for key, g in pts.groupby(others[0] if len(others) == 1 else others, sort=False)]
        for key, g in groups:
            mean = g.groupby(x, sort=False)["_value"].mean().reindex(xs)
            name = ", ".join(f"{c}={_label(pts, c, v)}" for c, v in zip(others, key)) or metric
            at = np.asarray(xs, dtype=float) if numeric_x else np.arange(len(xs))
            ax.plot(at, mean.to_numpy(), marker="o", label=name, gid=f"line:{name}")
        positive = np.asarray(xs, dtype=float) if numeric_x else np.array([])
        if numeric_x and (positive > 0).all() and positive.max() / positive.min() > 100:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        if not numeric_x or len(xs) <= 12:      # a tick per swept value, as written
            ax.set_xticks(np.asarray(xs, dtype=float) if numeric_x else np.arange(len(xs)))
            ax.set_xticklabels([_label(pts, x, v) for v in xs])
        ax.set_xlabel(_axis_label(t, x))
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        if others:
            ax.legend(fontsize="small")
        ax.set_title(f"{metric} against {x}{note}")
        return fig

    if others:
        raise ValueError(
            f"sweep: a heat map of {metric} over {x} and {y} needs one value of every other "
            "swept column; these vary: "
            + "; ".join(f"{c} = {', '.join(_label(pts, c, v) for v in _ordered(pts, c))}"
                        for c in others)
            + " (fix them with where={column: value}, or draw lines: sweep(t, metric, x=...))")
    table = (pts.groupby([y, x], sort=False)["_value"].mean().unstack(x)
             .reindex(index=_ordered(pts, y), columns=_ordered(pts, x)))
    fig.set_size_inches(max(6, 1.1 * table.shape[1] + 3), max(4, 0.6 * table.shape[0] + 2))
    values = table.to_numpy(dtype=float)
    im = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis", gid="heatmap",
                   interpolation="nearest")
    finite = values[np.isfinite(values)]
    middle = (finite.min() + finite.max()) / 2 if len(finite) else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, "failed" if not np.isfinite(v) else f"{v:.4g}", ha="center", va="center",
                fontsize="small", color="white" if np.isfinite(v) and v < middle else "black",
                gid="cell")
    ax.set_xticks(range(table.shape[1]))
    ax.set_xticklabels([_label(pts, x, v) for v in table.columns])
    ax.set_yticks(range(table.shape[0]))
    ax.set_yticklabels([_label(pts, y, v) for v in table.index])
    ax.set_xlabel(_axis_label(t, x))
    ax.set_ylabel(_axis_label(t, y))
    fig.colorbar(im, ax=ax, label=label)
    ax.set_title(f"{metric}{note}")
    return fig


def _ordered(pts, column):
    """A column's distinct values: ascending when numeric, else in point order."""
    values = pts[column].drop_duplicates()
    return sorted(values) if pts[column].dtype.kind in "iuf" else list(values)


def _label(pts, column, value):
    """A swept value as written on the command line (its '<column>_text'), else as is."""
    text = f"{column}_text"
    if text in pts.columns:
        match = pts.loc[pts[column] == value, text]
        if len(match):
            return _text(match.iloc[0])
    return f"{value:g}" if isinstance(value, float) else _text(value)


def _axis_label(t, column):
    unit = t.units.get("sweep/points", {}).get(column)
    return f"{column} ({unit})" if unit else column
