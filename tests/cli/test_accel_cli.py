"""`partsim accel`: per-layer cycles, latency and energy on one accelerator (CSV, JSON, options,
errors)."""
import csv
import io

import pytest

PARTS = ("mac", "rf", "interpe", "glb", "dram", "clock", "ctrl", "static")
CLOCK_HZ = {"eyeriss-v1": 200e6, "simba-chiplet": 1e9}
CAFFE_ALEXNET = "tests/data/alexnet_caffe.onnx"


def accel_csv(partsim, *args):
    out = partsim("accel", *args, "--format", "csv", check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def accel_json(partsim, *args):
    return partsim.json("accel", *args)


def by_node(doc):
    return {row["name"]: row for row in doc["layers"]}


# 1. CSV columns and per-row identities


@pytest.mark.parametrize("arch", ["eyeriss-v1", "simba-chiplet"])
@pytest.mark.parametrize("model", ["alexnet", "resnet50"])
def test_csv_columns_parts_latency_and_macs(partsim, arch, model):
    rows = accel_csv(partsim, arch, model)
    assert rows
    for field in ("name", "op", "macs", "cycles", "latency_s", "energy_j", "dram_bytes",
                  *(f"energy_{p}_j" for p in PARTS)):
        assert field in rows[0], field
    for r in rows:
        parts = sum(float(r[f"energy_{p}_j"]) for p in PARTS)
        assert parts == pytest.approx(float(r["energy_j"]), rel=1e-9, abs=1e-300), r["name"]
        assert float(r["energy_j"]) > 0, r["name"]
        assert float(r["latency_s"]) == pytest.approx(float(r["cycles"]) / CLOCK_HZ[arch],
                                                      rel=1e-9, abs=1e-300), r["name"]
    layers = partsim.json("layers", model)
    assert sum(int(r["macs"]) for r in rows) == layers["totals"]["macs"]


def test_eyeriss_runs_at_200_mhz_by_default(partsim):
    doc = accel_json(partsim, "eyeriss-v1", "alexnet")
    assert doc["clock_hz"] == 200e6 and doc["bits"] == 16 and doc["batch"] == 1
    conv1 = doc["layers"][0]
    assert conv1["latency_s"] == pytest.approx(conv1["cycles"] / 200e6, rel=1e-12)


# 2. JSON totals


@pytest.mark.parametrize("arch,model", [("eyeriss-v1", "alexnet"), ("simba-chiplet", "resnet50"),
                                        ("jetson-nano", "squeezenet1_1"),
                                        ("jetson-xavier-nx", "mobilenet_v2")])
def test_json_totals_are_the_sums_of_the_rows(partsim, arch, model):
    doc = accel_json(partsim, arch, model)
    rows, totals = doc["layers"], doc["totals"]
    for key in ("latency_s", "energy_j", "dram_bytes", *(f"energy_{p}_j" for p in PARTS)):
        assert totals[key] == pytest.approx(sum(r[key] for r in rows), rel=1e-9, abs=1e-300), key
    assert totals["macs"] == sum(r["macs"] for r in rows)
    assert totals["macs"] == partsim.json("layers", model)["totals"]["macs"]
    assert totals["frames_per_s"] == pytest.approx(1.0 / totals["latency_s"], rel=1e-9)
    assert totals["power_w"] == pytest.approx(totals["energy_j"] / totals["latency_s"], rel=1e-9)
    chip = totals["energy_j"] - totals["energy_dram_j"]
    assert totals["chip_power_w"] == pytest.approx(chip / totals["latency_s"], rel=1e-9)


# 3. bit width


def test_bits_8_scale_the_mac_energy_by_the_split_and_halve_filter_bytes(partsim):
    d16 = accel_json(partsim, "eyeriss-v1", "alexnet", "--bits", "16", "--sparsity", "none")
    d8 = accel_json(partsim, "eyeriss-v1", "alexnet", "--bits", "8", "--sparsity", "none")
    assert (d16["bits"], d8["bits"]) == (16, 8)
    # NeuPart Sec. VIII-A with the preset's split 0.9 / 0.05 pJ: (0.9/4 + 0.05/2) / 0.95
    ratio = (0.9 / 4 + 0.05 / 2) / 0.95
    assert d8["totals"]["energy_mac_j"] / d16["totals"]["energy_mac_j"] == \
        pytest.approx(ratio, rel=1e-6)
    for a, b in zip(d16["layers"], d8["layers"]):
        assert a["name"] == b["name"] and a["macs"] == b["macs"]
        if a["macs"]:
            assert b["energy_mac_j"] / a["energy_mac_j"] == pytest.approx(ratio, rel=1e-6)
        for doc_bits, row in ((16, a), (8, b)):
            words = sum(row[f"acc_dram_{d}"] for d in ("ifmap", "filter", "psum"))
            assert row["dram_bytes"] == pytest.approx(words * doc_bits / 8, rel=1e-9, abs=1e-300)
        if a["mapping"] == b["mapping"]:
            # filters are not run-length coded: the same words, half the bytes
            assert b["acc_dram_filter"] == pytest.approx(a["acc_dram_filter"],
                                                                    rel=1e-12)
        if a["op"] == "MaxPool":
            # activations are RLC coded (NeuPart Sec. VI-A): 16 bit + 5/15 vs 8 bit + 3/5
            assert b["dram_bytes"] / a["dram_bytes"] == pytest.approx(
                (8 * (1 + 3 / 5)) / (16 * (1 + 1 / 3)), rel=1e-9)
    fc = [(a, b) for a, b in zip(d16["layers"], d8["layers"]) if a["op"] == "Gemm"]
    assert fc
    for a, b in fc:
        assert b["acc_dram_filter"] * 8 == \
            pytest.approx(a["acc_dram_filter"] * 16 / 2, rel=1e-12)
    assert d8["totals"]["dram_bytes"] < 0.6 * d16["totals"]["dram_bytes"]


# 4. clock


def test_halving_the_clock_doubles_compute_bound_latency(partsim):
    fast = accel_json(partsim, "eyeriss-v1", "alexnet", "--clock", "200MHz")
    slow = accel_json(partsim, "eyeriss-v1", "alexnet", "--clock", "100MHz")
    assert (fast["clock_hz"], slow["clock_hz"]) == (200e6, 100e6)
    compute = 0
    for f, s in zip(fast["layers"], slow["layers"]):
        if f["bound"] == "compute":
            compute += 1
            assert s["bound"] == "compute"
            assert s["cycles"] == pytest.approx(f["cycles"], rel=1e-12)
            assert s["latency_s"] == pytest.approx(2 * f["latency_s"], rel=1e-12)
        elif f["bound"] == "dram" and s["bound"] == "dram":
            # the DRAM's bandwidth does not follow the clock
            assert s["latency_s"] == pytest.approx(f["latency_s"], rel=1e-12)
            assert s["cycles"] == pytest.approx(f["cycles"] / 2, rel=1e-12)
    assert compute >= 5  # AlexNet's five convolutions are compute-bound on Eyeriss


# 5. batch


def test_batch_4_reads_fewer_filter_bytes_per_frame(partsim):
    b1 = accel_json(partsim, "eyeriss-v1", "alexnet", "--batch", "1")
    b4 = accel_json(partsim, "eyeriss-v1", "alexnet", "--batch", "4")
    assert (b1["batch"], b4["batch"]) == (1, 4)
    convs = [(a, b) for a, b in zip(b1["layers"], b4["layers"]) if a["kind"] in ("conv", "fc")]
    assert len(convs) == 8
    batched = 0
    for a, b in convs:
        fa, fb = a["acc_dram_filter"], b["acc_dram_filter"]
        assert fb <= fa * (1 + 1e-12), a["name"]
        if b["batch"] > 1:
            batched += 1
            # filters read once per GLB fill of b["batch"] frames
            assert fb == pytest.approx(fa / b["batch"], rel=1e-9), a["name"]
            assert fb < fa
    assert batched >= 4
    assert b4["totals"]["acc_dram_filter"] < b1["totals"]["acc_dram_filter"]


def test_batch_auto_is_reported_as_auto(partsim):
    doc = accel_json(partsim, "eyeriss-v1", "alexnet", "--batch", "auto")
    assert doc["batch"] == "auto"
    assert any(r["batch"] > 1 for r in doc["layers"] if r["kind"] == "conv")
    assert doc["totals"]["energy_j"] > 0


# 6. mapping search


@pytest.mark.parametrize("objective,key", [("energy", "energy_j"), ("latency", "latency_s")])
def test_search_never_does_worse_than_the_rules(partsim, objective, key):
    rows = accel_csv(partsim, "eyeriss-v1", "alexnet", "--search", objective)
    assert "rules_energy_j" in rows[0] and "rules_latency_s" in rows[0]
    for r in rows:
        assert float(r[key]) <= float(r["rules_" + key]) * (1 + 1e-12), r["name"]
    total = sum(float(r[key]) for r in rows)
    assert total <= sum(float(r["rules_" + key]) for r in rows) * (1 + 1e-12)
    doc = accel_json(partsim, "eyeriss-v1", "alexnet", "--search", objective)
    assert doc["search"] == objective
    assert doc["totals"][key] <= doc["totals"]["rules_" + key] * (1 + 1e-12)
    assert doc["totals"][key] == pytest.approx(total, rel=1e-9)


def test_search_explores_more_than_one_mapping_and_gains_somewhere(partsim):
    rows = accel_csv(partsim, "eyeriss-v1", "resnet50", "--search", "edp")
    convs = [r for r in rows if r["op"] == "Conv"]
    assert convs and all(int(r["mappings_evaluated"]) > 1 for r in convs)
    # ResNet-50's layers gain over the rules with partsim's GLB tile (AlexNet's,
    # whose GLB tile already takes most of the gain, no longer do)
    assert any(float(r["energy_j"]) * float(r["latency_s"])
               < 0.95 * float(r["rules_energy_j"]) * float(r["rules_latency_s"]) for r in convs)


# 7. sparsity


def test_a_sparser_relu_output_makes_the_next_conv_cheaper(partsim, tmp_path):
    # /features/features.7/Relu feeds /features/features.8/Conv directly
    relu = "/features/features.7/Relu_output_0"
    conv = "/features/features.8/Conv"
    energies = {}
    for value in ("0.1", "0.9"):
        path = tmp_path / f"sparsity{value}.csv"
        path.write_text(f"tensor,sparsity\n{relu},{value}\n")
        energies[value] = by_node(accel_json(partsim, "eyeriss-v1", "alexnet", "--sparsity",
                                             path))[conv]["energy_j"]
    default = by_node(accel_json(partsim, "eyeriss-v1", "alexnet"))[conv]["energy_j"]
    assert energies["0.9"] < default < energies["0.1"]


def test_a_sparsity_file_for_the_caffe_alexnet(partsim, repo, tmp_path):
    model = repo / CAFFE_ALEXNET
    path = tmp_path / "pool1.csv"
    path.write_text("tensor,sparsity\npool1,0.9\n")
    dense = by_node(accel_json(partsim, "eyeriss-v1", model, "--sparsity", "none"))["conv2"]
    sparse = by_node(accel_json(partsim, "eyeriss-v1", model, "--sparsity", path))["conv2"]
    assert sparse["energy_j"] < dense["energy_j"]
    # zero ifmaps skip the MAC (NeuPart Sec. IV-D.2)
    assert sparse["energy_mac_j"] == pytest.approx(0.1 * dense["energy_mac_j"], rel=1e-9)


def test_a_tensor_not_in_the_model_is_an_input_error(partsim, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("tensor,sparsity\nno_such_tensor,0.5\n")
    proc = partsim("accel", "eyeriss-v1", "alexnet", "--sparsity", path)
    assert proc.returncode == 1
    assert str(path) in proc.stderr and "no_such_tensor" in proc.stderr
    assert proc.stdout == ""


def test_sparsity_none_costs_more_than_the_default(partsim):
    default = accel_json(partsim, "eyeriss-v1", "alexnet")
    none = accel_json(partsim, "eyeriss-v1", "alexnet", "--sparsity", "none")
    assert (default["sparsity"], none["sparsity"]) == ("default", "none")
    assert none["totals"]["energy_j"] > default["totals"]["energy_j"]
    assert none["totals"]["energy_mac_j"] > default["totals"]["energy_mac_j"]


# 8. errors


def _yaml_with_typo(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nkind: row-stationary\npreset: eyeriss-v1\nclokc: 200 MHz\n")
    return path


def test_a_yaml_based_on_a_preset_runs(partsim, tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("name: slow-eyeriss\nkind: row-stationary\npreset: eyeriss-v1\n"
                    "clock: 100 MHz\n")
    doc = accel_json(partsim, path, "alexnet")
    assert doc["clock_hz"] == 100e6
    assert doc["totals"]["macs"] == 714188480


def test_unknown_preset_lists_the_presets(partsim):
    proc = partsim("accel", "no-such-chip", "alexnet")
    assert proc.returncode == 1
    assert "no-such-chip" in proc.stderr
    for preset in ("eyeriss-v1", "simba-chiplet", "jetson-xavier-nx", "jetson-nano"):
        assert preset in proc.stderr
    assert proc.stdout == ""


def test_a_typo_in_the_yaml_points_at_it(partsim, tmp_path):
    path = _yaml_with_typo(tmp_path)
    proc = partsim("accel", path, "alexnet")
    assert proc.returncode == 1
    assert f"{path}:4:1" in proc.stderr
    assert "did you mean" in proc.stderr and "'clock'" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("args", [["accel", "eyeriss-v1"], ["accel"],
                                  ["accel", "eyeriss-v1", "alexnet", "--nope"],
                                  ["accel", "eyeriss-v1", "alexnet", "--batch", "0"],
                                  ["accel", "eyeriss-v1", "alexnet", "--batch", "some"],
                                  ["accel", "eyeriss-v1", "alexnet", "--clock", "200"],
                                  ["accel", "eyeriss-v1", "alexnet", "--bits", "0"],
                                  ["accel", "eyeriss-v1", "alexnet", "--search", "power"],
                                  ["accel", "eyeriss-v1", "alexnet", "--format", "xml"]])
def test_accel_usage_errors_exit_2(partsim, args):
    proc = partsim(*args)
    assert proc.returncode == 2
    assert "usage: partsim accel" in proc.stderr
    assert proc.stdout == ""


def _measured(tmp_path, profile_rows):
    prof = tmp_path / "prof.csv"
    prof.write_text("layer,latency_s,power_w\n" + "".join(r + "\n" for r in profile_rows))
    arch = tmp_path / "measured.yaml"
    arch.write_text("name: bench\nkind: measured\nclock: 1 GHz\nbits: 16\n"
                    "profile: prof.csv\nidle_power: 1 W\n")
    return arch


def test_a_measured_profile_covering_the_model(partsim, tmp_path):
    arch = _measured(tmp_path, ["/features/features.0/Conv../classifier/classifier.6/Gemm,0.01,5"])
    doc = accel_json(partsim, arch, "alexnet")
    assert doc["kind"] == "measured"
    assert doc["totals"]["latency_s"] == pytest.approx(0.01, rel=1e-9)
    assert doc["totals"]["energy_j"] == pytest.approx(0.05, rel=1e-9)
    assert doc["totals"]["energy_static_j"] == pytest.approx(0.01, rel=1e-9)  # idle 1 W


def test_a_measured_profile_missing_a_layer_names_it(partsim, tmp_path):
    arch = _measured(tmp_path, ["/features/features.0/Conv../features/features.2/MaxPool,0.001,5"])
    proc = partsim("accel", arch, "alexnet")
    assert proc.returncode == 1
    assert "/features/features.3/Conv" in proc.stderr and "prof.csv" in proc.stderr
    assert proc.stdout == ""


# 9. roofline


def test_xavier_nx_roofline_on_resnet50(partsim):
    rows = accel_json(partsim, "jetson-xavier-nx", "resnet50")["layers"]
    convs = 0
    for r in rows:
        assert r["bound"] in ("compute", "dram"), r["name"]
        if r["kind"] != "conv":
            continue
        convs += 1
        t_compute = r["macs"] / (6.76e12 * 0.25)
        t_dram = r["dram_bytes"] / 51.2e9
        assert r["latency_s"] == pytest.approx(max(t_compute, t_dram), rel=1e-9), r["name"]
        assert r["bound"] == ("compute" if t_compute >= t_dram else "dram"), r["name"]
        # 10 W active, 2 W idle: energy is active power times latency
        assert r["energy_j"] == pytest.approx(10.0 * r["latency_s"], rel=1e-9), r["name"]
    assert convs == 53


def test_search_reports_no_more_images_per_fill_than_the_batch(partsim):
    # partsim's GLB tile is chosen again for the search's result: its N stays within --batch
    rows = accel_csv(partsim, "eyeriss-v1", "mobilenet_v2", "--batch", "1", "--search", "energy")
    convs = [r for r in rows if r["op"] == "Conv"]
    assert convs and all(int(r["batch"]) == 1 for r in convs)
    assert all(" N=1" in r["mapping"] for r in convs)
