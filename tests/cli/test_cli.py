"""The command line: help, version, exit codes, formats of `partsim layers`."""
import csv
import io
import json
import re

import pytest


def test_help_lists_the_commands(partsim):
    proc = partsim("--help")
    assert proc.returncode == 0
    assert "layers" in proc.stdout and "usage: partsim" in proc.stdout


def test_version_prints_the_version(partsim):
    proc = partsim("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("partsim ") and proc.stdout.strip().split()[1][0].isdigit()


def test_help_on_a_command_shows_its_options(partsim):
    proc = partsim("help", "layers")
    assert proc.returncode == 0
    for option in ("--bits", "--format", "--cuts-only", "--memory"):
        assert option in proc.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["--frobnicate"], ["layers", "alexnet", "--nope"],
                                  ["layers"], ["layers", "alexnet", "--bits", "zero"],
                                  ["layers", "alexnet", "--format", "xml"], ["help", "nope"], []])
def test_usage_errors_exit_2_with_usage_on_stderr(partsim, args):
    proc = partsim(*args)
    assert proc.returncode == 2
    assert "usage: partsim" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("args, expected", [
    (["rn"], "unknown command 'rn'; did you mean 'run'?"),
    (["help", "layres"], "unknown command 'layres'; did you mean 'layers'?"),
    (["link", "1000BASE-T", "--bytes", "100", "--lenght", "5m"],
     "unknown option '--lenght'; did you mean '--length'?"),
    (["link", "1000BASE-T", "--bytes", "100", "--lenght=5m"],
     "unknown option '--lenght=5m'; did you mean '--length'?"),
    (["layers", "alexnet", "--cuts"], "did you mean '--cuts-only'?"),
    (["run", "s.yaml", "-0", "x.h5"], "did you mean '-o'?"),
    (["run", "s.yaml", "--no-trce"], "did you mean '--no-trace'?"),
    (["accel", "eyeriss-v1", "alexnet", "--serch", "energy"], "did you mean '--search'?"),
])
def test_unknown_commands_and_options_suggest_the_closest(partsim, args, expected):
    proc = partsim(*args)
    assert proc.returncode == 2
    assert expected in proc.stderr


@pytest.mark.parametrize("args, expected", [
    (["layers", "resnet5"], "not a zoo model; did you mean 'resnet50'?"),
    (["accel", "eyeriss", "alexnet"], "no architecture preset 'eyeriss'; did you mean 'eyeriss-v1'?"),
    (["accel", "simba", "alexnet"], "did you mean 'simba-chiplet'?"),
    (["link", "1000base-t1", "--bytes", "100"], "did you mean '1000BASE-T1'?"),
])
def test_unknown_presets_and_zoo_names_suggest_the_closest(partsim, args, expected):
    proc = partsim(*args)
    assert proc.returncode == 1
    assert expected in proc.stderr


def test_nothing_is_suggested_for_a_word_unlike_any_command(partsim):
    proc = partsim("frobnicate")
    assert proc.returncode == 2
    assert "unknown command 'frobnicate'" in proc.stderr and "did you mean" not in proc.stderr


def test_help_help_explains_help_and_help_is_listed(partsim):
    proc = partsim("help", "help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: partsim help [COMMAND]")
    listed = [line.split()[0] for line in partsim("--help").stdout.splitlines()
              if line.startswith("  ")]
    assert listed == ["run", "explore", "sweep", "trace", "layers", "accel", "link", "zoo", "help"]


# a valid value for each option that takes one
OPTION_VALUES = {"--bits": "8", "--format": "csv", "--length": "5m", "--framing": "ieee",
                 "--fps": "10", "--bytes": "100", "--clock": "200MHz", "--batch": "1",
                 "--sparsity": "none", "--search": "energy"}


@pytest.mark.parametrize("command, args", [
    ("link", ["1000BASE-T", "--bytes", "100"]),
    ("layers", ["alexnet"]),
    ("accel", ["eyeriss-v1", "alexnet"]),
])
def test_every_option_the_help_lists_is_accepted(partsim, command, args):
    """The help text is where suggestions come from: each option it lists parses."""
    text = partsim("help", command).stdout
    options = re.findall(r"^  (--[a-z-]+)", text, flags=re.M)
    assert len(options) >= 3
    for option in options:
        extra = [option] + ([OPTION_VALUES[option]] if option in OPTION_VALUES else [])
        if option == "--tensors":
            extra += ["--format", "json"]
        proc = partsim(command, *args, *extra)
        assert proc.returncode == 0, (option, proc.stderr)


def test_missing_model_is_an_input_error_naming_it(partsim):
    proc = partsim("layers", "no-such-model")
    assert proc.returncode == 1
    assert "no-such-model" in proc.stderr and "zoo" in proc.stderr


def test_a_file_that_is_not_onnx_is_an_input_error(partsim, tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_text("name: not a model\n")
    proc = partsim("layers", bad)
    assert proc.returncode == 1
    assert str(bad) in proc.stderr and "ONNX" in proc.stderr


def test_table_ends_with_totals(partsim):
    proc = partsim("layers", "alexnet", check=True)
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("total: 714188480 MACs, 61100840 parameters, 20 compute nodes")


def test_csv_has_the_documented_columns_and_one_row_per_compute_node(partsim):
    out = partsim("layers", "resnet50", "--format", "csv", check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    for field in ("index", "name", "op", "output_shape", "macs", "params", "output_bytes",
                  "cut_bytes", "single_tensor_cut"):
        assert field in rows[0]
    layers = partsim.json("layers", "resnet50")
    assert len(rows) == layers["totals"]["compute_nodes"]
    assert sum(int(r["macs"]) for r in rows) == layers["totals"]["macs"]


def test_bits_scale_the_bytes(partsim):
    l16 = partsim.json("layers", "alexnet")["layers"]
    l8 = partsim.json("layers", "alexnet", "--bits", "8")["layers"]
    first = l16[0]
    # Conv 1: 64 x 55 x 55 outputs, 2 bytes each at 16 bits
    assert first["output_shape"] == "1x64x55x55"
    assert first["output_bytes"] == 64 * 55 * 55 * 2
    assert l8[0]["output_bytes"] == 64 * 55 * 55
    assert all(a["cut_bytes"] == 2 * b["cut_bytes"] for a, b in zip(l16, l8))


def test_cuts_only_keeps_single_tensor_cuts(partsim):
    everything = partsim.json("layers", "resnet50")
    cuts = partsim.json("layers", "resnet50", "--cuts-only")
    assert all(layer["single_tensor_cut"] for layer in cuts["layers"])
    assert len(cuts["layers"]) == everything["totals"]["single_tensor_cuts"]
    assert cuts["totals"] == everything["totals"]


def test_memory_columns_split_the_model_between_two_platforms(partsim):
    data = partsim.json("layers", "squeezenet1_1", "--memory", "--bits", "8")
    layers = data["layers"]
    params = data["totals"]["params"]
    for layer in layers:
        # every parameter lives on exactly one side (8 bits = 1 byte each)
        assert layer["mem_a_params_bytes"] + layer["mem_b_params_bytes"] == params
        assert layer["mem_a_kress_bytes"] >= layer["mem_a_params_bytes"]
        assert layer["mem_a_peak_bytes"] >= layer["mem_a_params_bytes"]
    assert layers[-1]["mem_b_kress_bytes"] == 0


def test_zoo_lists_every_model_with_its_macs(partsim):
    proc = partsim("zoo", check=True)
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines()[2:]}
    assert len(rows) == 12
    assert rows["resnet50"][1] == "1x3x224x224"
    assert rows["resnet50"][3] == "4089184256"
    assert rows["fcn_resnet50"][1] == "1x3x520x520"


def test_zoo_takes_no_arguments(partsim):
    assert partsim("zoo", "extra").returncode == 2
