"""`partsim accel eyeriss-v1-cnnergy`: the CNNergy compatibility mode from the command line
reproduces the CNNergy code's per-layer energies (tests/data/cnnergy/), with the per-layer
batch as a list or a CSV file; errors in either, and in `compat:`, say what was wrong."""
import csv

import pytest

DATA = "tests/data/cnnergy"
MODEL = "tests/data/alexnet_caffe.onnx"
LADDER = "1,2,6,6,6,18,18,18"
NODES = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]


def reference(repo, name):
    with open(repo / DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def cnnergy_json(partsim, repo, *args):
    return partsim.json("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--sparsity",
                        repo / DATA / "alexnet_caffe_sparsity.csv", *args)


def assert_layers_match(doc, rows):
    layers = doc["layers"]
    assert [r["name"] for r in layers] == NODES  # pooling, ReLU, LRN cost 0: not listed
    for got, want in zip(layers, rows):
        assert got["energy_j"] * 1e12 == pytest.approx(float(want["e_total_pJ"]), rel=1e-9)
        assert got["latency_s"] == pytest.approx(float(want["latency_s"]), rel=1e-9)
        assert got["energy_clock_j"] * 1e12 == pytest.approx(float(want["e_clock_pJ"]),
                                                             rel=1e-9)
        assert got["energy_dram_j"] * 1e12 == pytest.approx(float(want["e_dram_pJ"]), rel=1e-9)
        assert got["batch"] == int(want["N_used"])


def test_the_ladder_as_a_list_gives_the_per_layer_energy_of_alexnet_16bit(partsim, repo):
    doc = cnnergy_json(partsim, repo, "--batch", LADDER)
    assert doc["compat"] == "cnnergy" and doc["batch"] == LADDER and doc["bits"] == 16
    assert_layers_match(doc, reference(repo, "alexnet_16bit.csv"))
    # the mapping column shows CNNergy's fractional values
    assert "Y_o=27.5" in doc["layers"][0]["mapping"]


@pytest.mark.parametrize("name,args", [
    ("alexnet_16bit_n1.csv", []),
    ("alexnet_16bit_nauto.csv", ["--batch", "auto"]),
    ("alexnet_8bit.csv", ["--bits", "8", "--batch", LADDER]),
    ("alexnet_8bit_n1.csv", ["--bits", "8", "--batch", "1"]),
    ("alexnet_8bit_nauto.csv", ["--bits", "8", "--batch", "auto"]),
])
def test_batch_1_auto_and_8_bit_give_the_other_references(partsim, repo, name, args):
    assert_layers_match(cnnergy_json(partsim, repo, *args), reference(repo, name))


def test_the_ladder_as_a_csv_file_gives_the_same_as_the_list(partsim, repo, tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text("node,batch\n" + "".join(f"{n},{b}\n"
                                             for n, b in zip(NODES, LADDER.split(","))))
    by_file = cnnergy_json(partsim, repo, "--batch", path)
    by_list = cnnergy_json(partsim, repo, "--batch", LADDER)
    assert by_file["layers"] == by_list["layers"]
    assert by_file["batch"] == str(path)


def test_a_file_that_leaves_layers_out_runs_them_at_batch_1(partsim, repo, tmp_path):
    path = tmp_path / "some.csv"
    path.write_text("node,batch\nfc7,18\n")
    doc = cnnergy_json(partsim, repo, "--batch", path)
    assert [r["batch"] for r in doc["layers"]] == [1, 1, 1, 1, 1, 1, 18, 1]


def test_the_table_says_what_the_mode_models(partsim, repo):
    out = partsim("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--batch", LADDER,
                  check=True).stdout
    assert "batch per layer (1,2,6,6,6,18,18,18)" in out
    assert "compat cnnergy" in out and "pooling, ReLU, LRN cost 0" in out
    assert "23.1 GMAC/s" in out


@pytest.mark.parametrize("value,message", [
    ("1,2,6,6,6,18,18", "the batch list has 7 values, the model has 8 conv / FC layers "
                        "(conv1, conv2, conv3, conv4, conv5, fc6, fc7, fc8)"),
    ("1,2,6,6,6,18,18,18,1", "the batch list has 9 values"),
])
def test_a_list_of_the_wrong_length_names_the_layers(partsim, repo, value, message):
    proc = partsim("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--batch", value)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("value,message", [
    ("1,0,6,6,6,18,18,18", "value 2 of the list '1,0,6,6,6,18,18,18' is 0"),
    ("1,-2,6,6,6,18,18,18", "value 2 of the list '1,-2,6,6,6,18,18,18' is -2"),
    ("1,two,6", "value 2 of the list '1,two,6' is not a whole number"),
    ("1,,6", "value 2 of the list '1,,6' is not a whole number"),
    ("0", "--batch 0: a batch is a whole number from 1"),
    ("-4", "--batch -4: a batch is a whole number from 1"),
    ("ladder.csv", "'ladder.csv' is none of them (no such file)"),
])
def test_non_positive_and_malformed_batches_are_usage_errors(partsim, repo, value, message):
    proc = partsim("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--batch", value)
    assert proc.returncode == 2
    assert message in proc.stderr and "usage: partsim accel" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("text,where,message", [
    ("node,batch\nconv1,1\nconv22,2\n", ":3:1:", "node 'conv22' is not in the model"),
    ("node,batch\nconv1,1\nconv2,0\n", ":3:7:", "batch: expected a whole number of frames "
                                               "from 1"),
    ("node,batch\nconv1,1.5\n", ":2:7:", "batch: expected a whole number of frames from 1"),
    ("node,batch\nconv1,1\nconv1,2\n", ":3:1:", "node 'conv1' is given twice"),
    ("node,frames\nconv1,1\n", ":1:", "frames"),
])
def test_batch_file_errors_name_file_line_and_column(partsim, repo, tmp_path, text, where,
                                                      message):
    path = tmp_path / "batch.csv"
    path.write_text(text)
    proc = partsim("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--batch", path)
    assert proc.returncode == 1
    assert f"{path}{where}" in proc.stderr and message in proc.stderr
    if "conv22" in text:
        assert "did you mean 'conv2'?" in proc.stderr


def test_an_unknown_compat_names_the_line_and_the_choices(partsim, tmp_path):
    path = tmp_path / "arch.yaml"
    path.write_text("preset: eyeriss-v1\ncompat: cnergy\n")
    proc = partsim("accel", path, "alexnet")
    assert proc.returncode == 1
    assert f"{path}:2:9: unknown compat 'cnergy' (expected none or cnnergy)" in proc.stderr


def test_compat_none_returns_a_file_to_partsims_model(partsim, repo, tmp_path):
    path = tmp_path / "arch.yaml"
    path.write_text("preset: eyeriss-v1-cnnergy\ncompat: none\ndram: {bandwidth: 800 MB/s}\n")
    doc = partsim.json("accel", path, repo / MODEL)
    assert doc["compat"] == "none"
    assert "." not in doc["layers"][0]["mapping"]  # integer mapping values again


def test_cnnergy_constants_need_compat_cnnergy(partsim, tmp_path):
    path = tmp_path / "arch.yaml"
    path.write_text("preset: eyeriss-v1\ncnnergy: {throughput: 10 GMAC/s}\n")
    proc = partsim("accel", path, "alexnet")
    assert proc.returncode == 1
    assert f"{path}:2:1:" in proc.stderr and "compat: cnnergy" in proc.stderr


def test_the_mapping_search_is_refused_in_compat_mode(partsim, repo):
    proc = partsim("accel", "eyeriss-v1-cnnergy", repo / MODEL, "--search", "energy")
    assert proc.returncode == 1
    assert "mapping search" in proc.stderr
