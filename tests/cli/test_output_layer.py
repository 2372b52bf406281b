"""One output layer: the terminal table, CSV, JSON and HDF5 of a table carry the same column
names (and HDF5 the units), because all four are written from one description."""
import csv
import io
import json

import h5py
import pytest

SCENARIO = """\
name: same-names
seed: 3
duration: 0.5 s
workload: {model: squeezenet1_1, bits: 8}
accelerators:
  sensor: {preset: eyeriss-v1}
nodes:
  - {name: cam, count: 2, accelerator: sensor}
  - {name: ecu, accelerator: sensor}
network:
  switches: [sw0]
  links:
    - {from: cam*, to: sw0, type: 1000BASE-T}
    - {from: sw0, to: ecu, type: 10GBASE-T}
pipelines:
  - name: det
    source: {nodes: cam*, fps: 10 fps}
    stages:
      - {node: cam, until: 10}
      - {node: ecu}
    deadline: 100 ms
"""


def csv_header(text):
    return next(csv.reader(io.StringIO(text)))


def text_header(text, starts_with):
    line = next(ln for ln in text.splitlines() if ln.startswith(starts_with))
    return line.split()


def names_everywhere(partsim, *args, rows_key):
    """(terminal header, CSV header, JSON row keys) of a command."""
    table = partsim(*args, check=True).stdout
    header = csv_header(partsim(*args, "--format", "csv", check=True).stdout)
    doc = json.loads(partsim(*args, "--format", "json", check=True).stdout)
    keys = list(doc[rows_key][0].keys()) if rows_key else list(doc.keys())
    return table, header, keys


@pytest.mark.parametrize("args", [("layers", "squeezenet1_1"),
                                  ("layers", "squeezenet1_1", "--memory")])
def test_layers_names_are_the_same_in_terminal_csv_and_json(partsim, args):
    table, header, keys = names_everywhere(partsim, *args, rows_key="layers")
    assert header == keys
    shown = text_header(table, "index")
    assert shown and set(shown) <= set(header)
    assert "mem_a_kress_bytes" in header or "--memory" not in args


@pytest.mark.parametrize("search", [(), ("--search", "edp")])
def test_accel_names_are_the_same_in_terminal_csv_json_and_the_trace(partsim, tmp_path, search):
    table, header, keys = names_everywhere(partsim, "accel", "eyeriss-v1", "squeezenet1_1",
                                           "--bits", "8", *search, rows_key="layers")
    assert header == keys
    assert set(text_header(table, "index")) <= set(header)
    if not search:
        scn, out = tmp_path / "s.yaml", tmp_path / "s.h5"
        scn.write_text(SCENARIO)
        partsim("run", scn, "-o", out, "--quiet", check=True)
        with h5py.File(out, "r") as f:
            assert list(f["/layers"].dtype.names) == ["node"] + header
            assert f["/layers"].attrs["unit_latency_s"] == "s"


def test_link_names_are_the_same_in_terminal_csv_and_json(partsim):
    args = ("link", "1000BASE-T", "--bytes", "100000", "--fps", "30")
    table, header, keys = names_everywhere(partsim, *args, rows_key=None)
    assert header == keys
    record = [ln.split()[0] for ln in table.splitlines()[1:]]
    assert record == header


def test_run_summary_is_the_traces_summary_table(partsim, tmp_path):
    scn = tmp_path / "s.yaml"
    scn.write_text(SCENARIO)
    out = tmp_path / "s.h5"
    text = partsim("run", scn, "-o", out, "--quiet", check=True).stdout
    csv_text = partsim("run", scn, "--no-trace", "--quiet", "--format", "csv", check=True).stdout
    doc = json.loads(partsim("run", scn, "--no-trace", "--quiet", "--format", "json",
                             check=True).stdout)
    header = csv_header(csv_text)
    with h5py.File(out, "r") as f:
        summary = f["/summary"]
        assert list(summary.dtype.names) == header
        assert summary.attrs["unit_latency_p50_s"] == "s"
        assert summary.attrs["unit_throughput_fps"] == "1/s"
        assert list(doc["summary"][0].keys()) == header
        assert list(doc["nodes"][0].keys()) == list(f["/nodes"].dtype.names)
        assert list(doc["links"][0].keys()) == list(f["/links"].dtype.names)
        # the same numbers in all of them
        row = next(csv.DictReader(io.StringIO(csv_text)))
        assert float(row["latency_p50_s"]) == summary["latency_p50_s"][0]
        assert doc["summary"][0]["completed"] == summary["completed"][0]
    assert set(text_header(text, "name")) <= set(header)
    assert doc["trace"] is None
