"""One self-contained HTML page of a partsim file (a run's trace, an exploration or a sweep):

    PYTHONPATH=analysis /usr/bin/python3 -m partsim.report out/adas-8cam.h5 -o adas.html

The page holds the file's root attributes, its summary tables and every figure of
partsim.plots that applies to its kind, each figure a PNG embedded as base64 in an <img> whose
id is "img-<plot>" (alt: what it shows).  It loads nothing from elsewhere and needs no
JavaScript.  The page is written under a temporary name in the output's folder and renamed
when complete, so the output path never holds half a page.  A file partsim.open refuses is an
error (exit status 1, the reason on stderr); a figure that does not apply to this file's data
(an exploration without a per-stage split, say) is replaced by a line saying why.
"""
import argparse
import base64
import html
import io
import os
import sys
import tempfile
from pathlib import Path

import partsim
from partsim import plots

MAX_ROWS = 100      # rows of a table shown on the page; the rest are counted

_CSS = """
body { font-family: sans-serif; margin: 16px 24px; color: #222; max-width: 1220px; }
h1 { font-size: 22px; margin: 0 0 4px 0; } h2 { font-size: 17px; margin: 22px 0 6px 0; }
table.t { border-collapse: collapse; font-size: 12px; margin: 4px 0 8px 0; }
table.t th, table.t td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
table.t th { background: #f0f0f0; }
table.attrs td { text-align: left; vertical-align: top; }
section.figure { margin: 10px 0 24px 0; }
section.figure img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
div.wide { overflow-x: auto; }
p.note { font-size: 12px; color: #555; margin: 2px 0; }
p.missing { color: #a40; }
pre { font-size: 12px; background: #f7f7f7; padding: 6px; overflow-x: auto; }
"""

# What each kind of file shows: (id, title, what it shows, how to draw it).
_RUN_FIGURES = [
    ("timeline", "Timeline", "stages and transfers of the first frames, per node",
     lambda t: plots.timeline(t)),
    ("latency", "Latency", "end-to-end latency distribution per pipeline with p50/p95/p99",
     lambda t: plots.latency(t)),
    ("utilisation", "Utilisation", "node and NIC busy fraction and queue length over time",
     lambda t: plots.utilisation(t)),
    ("energy", "Energy", "energy per node, per link and per layer", lambda t: plots.energy(t)),
]
_EXPLORE_FIGURES = [
    ("pareto", "Pareto front", "the front in latency and energy, all candidates faded",
     lambda t: plots.pareto(t, "latency_s", "energy_j")),
    ("pareto-throughput", "Pareto front: latency and throughput",
     "the front in latency and throughput", lambda t: plots.pareto(t, "latency_s",
                                                                   "throughput_fps")),
    ("partition-points", "Partition points", "latency and energy per cut, sensor / link / edge",
     lambda t: plots.partition_points(t)),
]
_SWEEP_METRICS = ["latency_p99_s", "throughput_fps", "energy_per_frame_j", "dropped",
                  "latency_s", "energy_j", "sensor_energy_j"]


def _sweep_figure(metric):
    def draw(t):
        try:
            return plots.sweep(t, metric)
        except ValueError:
            # More than two swept keys: no single heat map; lines over the first instead.
            return plots.sweep(t, metric, x=plots.swept_columns(t)[0])
    return draw


def figures(t):
    """The figures that apply to t's kind: [(id, title, alt text, draw(t) -> Figure)]."""
    if t.kind == "run":
        return _RUN_FIGURES
    if t.kind == "explore":
        return _EXPLORE_FIGURES
    columns = t["sweep/points"].columns
    return [(f"sweep-{m.replace('_', '-')}", f"Sweep: {m}", f"{m} against the swept values",
             _sweep_figure(m)) for m in _SWEEP_METRICS if m in columns]


def tables(t):
    """The summary tables of t's kind that it has: [(name, DataFrame)]."""
    names = {"run": ["summary", "nodes", "links", "summary_energy"],
             "explore": ["explore/summary", "explore/pick", "explore/front", "explore/baselines",
                         "explore/constraints", "explore/validation"],
             "sweep": ["sweep/points", "sweep/spread"]}[t.kind]
    return [(n, t[n]) for n in names if n in t.tables]


def _png(fig, dpi):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    width, height = (fig.get_size_inches() * dpi).round().astype(int)
    return base64.b64encode(buf.getvalue()).decode("ascii"), width, height


def _table_html(name, df, units):
    shown = df.head(MAX_ROWS).copy()
    shown.columns = [f"{c} ({units[c]})" if units.get(c) and units[c] != "1" else c
                     for c in shown.columns]
    body = shown.to_html(index=False, border=0, classes="t", na_rep="–",
                         float_format=lambda v: f"{v:.6g}")
    more = (f'<p class="note">the first {MAX_ROWS} of {len(df)} rows</p>'
            if len(df) > MAX_ROWS else "")
    return (f'<h2 id="table-{_slug(name)}">/{html.escape(name)}</h2>\n'
            f'<div class="wide">{body}</div>\n{more}')


def _slug(name):
    return name.replace("/", "-").replace("_", "-")


def _attrs_html(t):
    rows = []
    for k, v in sorted(t.attrs.items()):
        if k == "scenario":
            continue
        rows.append(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>")
    if t.kind == "sweep" and t.runs():
        rows.append(f"<tr><th>kept runs</th><td>{len(t.runs())} points (--keep-runs)</td></tr>")
    scenario = t.attrs.get("scenario")
    details = (f"<details><summary>scenario</summary><pre>{html.escape(str(scenario))}</pre>"
               "</details>" if scenario else "")
    return (f'<h2 id="attributes">Attributes</h2>\n<table class="t attrs">{"".join(rows)}'
            f"</table>\n{details}")


def render(t, dpi=100):
    """The report of an opened file as one HTML string."""
    title = f"partsim {t.kind}: {Path(t.path).name}"
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f'<p class="note">{html.escape(str(Path(t.path).resolve()))}: '
             f"{len(t.tables)} tables ({html.escape(', '.join(t.tables))})</p>",
             _attrs_html(t)]
    for name, df in tables(t):
        parts.append(_table_html(name, df, t.units.get(name, {})))
    for fig_id, fig_title, alt, draw in figures(t):
        parts.append(f'<section class="figure" id="fig-{fig_id}">'
                     f"<h2>{html.escape(fig_title)}</h2>")
        try:
            fig = draw(t)
        except (ValueError, partsim.TraceError) as e:
            parts.append(f'<p class="missing" id="missing-{fig_id}">not drawn: '
                         f"{html.escape(str(e))}</p></section>")
            continue
        data, width, height = _png(fig, dpi)
        parts.append(f'<img id="img-{fig_id}" alt="{html.escape(fig_id)}: {html.escape(alt)}" '
                     f'width="{width}" height="{height}" src="data:image/png;base64,{data}">'
                     "</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_atomic(path, text):
    """Write text to path through a temporary file in the same folder, renamed when
    complete (the temporary file is removed on any error)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m partsim.report",
        description="Write one self-contained HTML page of a partsim file (a run's trace, an "
                    "exploration or a sweep): its attributes, summary tables and figures "
                    "(embedded PNG; no network, no JavaScript).",
        epilog="Example: PYTHONPATH=analysis /usr/bin/python3 -m partsim.report "
               "out/adas-8cam.h5 -o adas.html")
    p.add_argument("file", help="the HDF5 file partsim run, explore or sweep wrote (-o)")
    p.add_argument("-o", "--output", help="the HTML page to write (default: FILE with the "
                   "suffix .html); written atomically")
    p.add_argument("--dpi", type=int, default=100,
                   help="pixels per inch of the figures (default 100)")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    out = Path(args.output) if args.output else Path(args.file).with_suffix(".html")
    prog = "partsim.report"
    if out.is_dir():
        print(f"{prog}: error: {out} is a folder; give the page's file name with -o",
              file=sys.stderr)
        return 1
    if not out.parent.is_dir():
        print(f"{prog}: error: cannot write {out}: no folder {out.parent}", file=sys.stderr)
        return 1
    if out.exists() and Path(args.file).exists() and out.samefile(args.file):
        print(f"{prog}: error: the output {out} is the input file", file=sys.stderr)
        return 1
    if args.dpi < 10 or args.dpi > 600:
        print(f"{prog}: error: --dpi {args.dpi}: expected 10 to 600", file=sys.stderr)
        return 1
    try:
        with partsim.open(args.file) as t:
            text = render(t, dpi=args.dpi)
    except partsim.TraceError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 1
    try:
        write_atomic(out, text)
    except OSError as e:
        print(f"{prog}: error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
