"""docs/TRACES.md documents every table, column and attribute of partsim's three kinds of HDF5
file: a run (with /events), an exploration (with --accuracy and --validate) and a sweep (with
--seeds and --keep-runs, and one with --explore) are written by the binary and every dataset,
column, root / group / dataset attribute must be named in the section of TRACES.md that
describes its table. Where the page gives a column's type and unit in a table row, the file's
must be the same. Columns whose names depend on the scenario are matched to the documented
pattern by the explicit RULES below, so a new column nobody documented fails."""
import re
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "TRACES.md"
EXAMPLES = REPO / "platforms" / "examples"

# The keys the sweeps below vary, and the column name TRACES.md says each becomes.
SWEPT = {"nodes.0.count": "nodes_0_count", "network.links.0.type.rate": "network_links_0_type_rate"}


# ---- the page ----------------------------------------------------------------------------------

def _tokens(text):
    return set(re.findall(r"`([^`]+)`", text))


def _rows(body):
    """The rows of the markdown tables of a section body: {first-cell token: [(type, unit)]},
    type and unit as written (unit None for "–", "?" when the row gives no unit column)."""
    out = {}
    header = None
    for line in body.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if len(cells) != len(header) or header[1] != "type":
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        types = [t.strip() for t in cells[1].split(",")]
        unit = "?"
        if "unit" in header:
            u = cells[header.index("unit")]
            unit = None if u == "–" else (u.strip("`") if re.fullmatch(r"`[^`]+`", u) else "?")
        for i, n in enumerate(names):
            t = types[i] if len(types) == len(names) else types[0]
            out.setdefault(n, []).append((t, unit))
    return out


def _sections():
    """Every heading of TRACES.md (fenced code left out) with the tokens and table rows of
    the text up to the next heading."""
    text = re.sub(r"(?ms)^```.*?^```", "", DOC.read_text())
    out = []
    for block in re.split(r"(?m)^(?=#{1,3} )", text):
        heading, _, body = block.partition("\n")
        words = {w for t in _tokens(body) for w in t.split()}
        out.append({"heading": heading, "tables": {t for t in _tokens(heading) if t.startswith("/")},
                    "tokens": _tokens(body), "words": words, "rows": _rows(body)})
    return out


SECTIONS = _sections()


def _section(title):
    found = [s for s in SECTIONS if s["heading"].lstrip("# ").startswith(title)]
    assert len(found) == 1, f"TRACES.md has {len(found)} sections titled {title!r}"
    return found[0]


def _table_section(table):
    """The section whose heading names the table (a kept run's /runs/<point>/frames: /frames)."""
    m = re.fullmatch(r"/runs/\d+(/\w+)", table)
    if m:
        assert any("/runs/<point>/" in s["tables"] for s in SECTIONS), \
            "TRACES.md has no section for /runs/<point>/"
        table = m.group(1)
    found = [s for s in SECTIONS if table in s["tables"]]
    assert len(found) == 1, f"{table}: {len(found)} sections of TRACES.md name it in a heading"
    return table, found[0]


# ---- real names -> documented names -------------------------------------------------------------

def _sanitize(name):
    return re.sub(r"[^a-z0-9]", "_", name.lower())


def _rules(ctx):
    """(tables, regex on the real column name, what the page must hold for it): the documented
    name(s) in the section's tokens and the variable parts in its words."""
    axes = {}
    for col in SWEPT.values():
        axes[col], axes[col + "_text"] = "<key>", "<key>_text"
    return [
        # stage k / transfer k of /frames and of an exploration's designs
        (r"/frames|/explore/\w+", r"([st])\d+_(\w+)", lambda m: ([f"{m[1]}{{k}}_{m[2]}"], [])),
        # /layers: the energy breakdown and the word accesses, parts and levels listed in words
        (r"/layers", r"energy_(\w+)_j", lambda m: (["energy_<part>_j"], [m[1]])),
        (r"/layers", r"acc_([a-z]+)_([a-z]+)", lambda m: (["acc_<level>_<data>"], [m[1], m[2]])),
        # one or two columns per varied key
        (r"/sweep/(points|spread)", "|".join(map(re.escape, axes)), lambda m: ([axes[m[0]]], [])),
        # one column per node group of the scenario (the groups /sweep/energy names)
        (r"/sweep/points", r"energy_per_frame_(\w+)_j",
         lambda m: (["energy_per_frame_<group>_j"] if m[1] in ctx["groups"] else [None], [])),
        # four columns per metric of the spread
        (r"/sweep/spread", r"(\w+)_(mean|std|min|max)", lambda m: ([f"<metric>_{m[2]}", m[1]], [])),
    ]


def _documented(table, column, section, ctx):
    """The documented name the column stands for, or None."""
    if column in section["tokens"]:
        return column
    for tables, pattern, need in _rules(ctx):
        m = re.fullmatch(pattern, column)
        if re.fullmatch(tables, table) and m:
            tokens, words = need(m)
            if all(t in section["tokens"] for t in tokens) and all(w in section["words"]
                                                                    for w in words):
                return tokens[0]
    return None


def _dtype(dt):
    return f"S{dt.itemsize}" if dt.kind == "S" else str(dt)


# ---- the files ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(partsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("traces_doc")
    acc = d / "acc.csv"
    acc.write_text("cut,accuracy\n0,0.71\n10,0.55\n")
    runs = {
        "run": ["run", EXAMPLES / "adas-8cam.yaml", "--set", "duration=1 s",
                "--set", "trace.events=true"],
        "explore": ["explore", EXAMPLES / "kress-chain.yaml", "--accuracy", acc,
                    "--validate", "2", "--set", "duration=1 s"],
        "sweep": ["sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,4",
                  "--seeds", "2", "--set", "duration=1 s", "--keep-runs"],
        "sweep_explore": ["sweep", EXAMPLES / "neupart-phone.yaml", "--explore",
                          "--vary", "network.links.0.type.rate=1Mbps,4Mbps"],
    }
    out = {}
    for name, args in runs.items():
        path = d / f"{name}.h5"
        partsim(*args, "-o", path, "--quiet", check=True)
        out[name] = path
    return out


def _datasets(h5):
    found = []
    h5.visititems(lambda n, o: found.append("/" + n) if isinstance(o, h5py.Dataset) else None)
    return found


def _groups(h5):
    found = []
    h5.visititems(lambda n, o: found.append("/" + n) if isinstance(o, h5py.Group) else None)
    return found


def test_the_files_hold_every_table(files):
    """The generated files reach every table the page lists (so the checks below see them)."""
    seen = set()
    for path in files.values():
        with h5py.File(path, "r") as f:
            seen |= {_table_section(t)[0] for t in _datasets(f)}
            if any(t.startswith("/runs/") for t in _datasets(f)):
                seen.add("/runs/<point>/")
    documented = {t for s in SECTIONS for t in s["tables"]}
    assert documented <= seen, f"not generated: {sorted(documented - seen)}"


@pytest.mark.parametrize("kind", ["run", "explore", "sweep", "sweep_explore"])
def test_every_column_and_attribute_is_documented(files, kind):
    conventions = _section("Conventions")
    sweep_section = _section("Tables of a sweep")
    missing, wrong = [], []
    with h5py.File(files[kind], "r") as f:
        groups = set()
        if "/sweep/energy" in f:
            e = f["/sweep/energy"][:]
            groups = {_sanitize(r.decode()) for r, k in zip(e["resource"], e["kind"]) if k == b"node"}
        ctx = {"groups": groups}

        root = _section("Root attributes")
        for name, value in f.attrs.items():
            if name not in root["rows"]:
                missing.append(f"root attribute {name} (a row of the Root attributes table)")
                continue
            t = "string" if isinstance(value, str) else _dtype(np.asarray(value).dtype)
            if all(t != doc for doc, _ in root["rows"][name]):
                wrong.append(f"root attribute {name}: {t}, TRACES.md {root['rows'][name]}")

        for g in _groups(f):
            for name in f[g].attrs:
                runs = [s for s in SECTIONS if "/runs/<point>/" in s["tables"]]
                if not (re.fullmatch(r"/runs/\d+", g) and runs and name in runs[0]["tokens"]):
                    missing.append(f"{g} attribute {name}")

        for path in _datasets(f):
            table, section = _table_section(path)
            d = f[path]
            for col in d.dtype.names:
                doc = _documented(table, col, section, ctx)
                if doc is None:
                    missing.append(f"{path}: column {col}")
                    continue
                unit = d.attrs.get(f"unit_{col}")
                unit = unit.decode() if isinstance(unit, bytes) else unit
                if unit is not None and unit not in conventions["tokens"] and not (
                        doc in ("<key>",) and unit in sweep_section["tokens"]):
                    wrong.append(f"{path}: {col} has unit {unit!r}, not one TRACES.md lists")
                rows = section["rows"].get(doc)
                if rows:  # the page gives its type (and unit) in a table row: they must agree
                    typed = [t for t, _ in rows if re.fullmatch(r"u?int\d+|float64|S\d+", t)]
                    if typed and _dtype(d.dtype[col]) not in typed:
                        wrong.append(f"{path}: {col} is {_dtype(d.dtype[col])}, TRACES.md {typed}")
                    units = [u for _, u in rows if u != "?"]
                    if units and unit not in units:
                        wrong.append(f"{path}: {col} has unit {unit!r}, TRACES.md {units}")
            for name in d.attrs:
                m = re.fullmatch(r"unit_(.+)", name)
                if m and m[1] in d.dtype.names:
                    if "unit_<column>" not in conventions["tokens"]:
                        missing.append(f"{path}: attribute {name} (unit_<column>)")
                elif name not in section["tokens"]:
                    missing.append(f"{path}: attribute {name}")
    assert not missing, f"{files[kind].name}: not in docs/TRACES.md: " + "; ".join(missing)
    assert not wrong, f"{files[kind].name}: differs from docs/TRACES.md: " + "; ".join(wrong)


def test_an_undocumented_column_fails():
    """The rules do not wave through a name the page does not hold."""
    _, frames = _table_section("/frames")
    _, points = _table_section("/sweep/points")
    ctx = {"groups": {"cam"}}
    assert _documented("/frames", "s3_end_s", frames, ctx) == "s{k}_end_s"
    assert _documented("/frames", "s3_bogus_s", frames, ctx) is None
    assert _documented("/frames", "bogus", frames, ctx) is None
    assert _documented("/sweep/points", "energy_per_frame_cam_j", points, ctx)
    assert _documented("/sweep/points", "energy_per_frame_gpu_j", points, ctx) is None
    assert _documented("/sweep/points", "nodes_0_count_text", points, ctx) == "<key>_text"
    assert _documented("/sweep/points", "nodes_1_count", points, ctx) is None
