"""A measured device (CNNParted's way of modelling the edge node) in a scenario: the
profile is read and matched to the model when the scenario loads, and the stage on
it takes exactly the measured latencies and energies of its layers."""
import h5py
import numpy as np
import pandas as pd

SCENARIO = """
name: ms
duration: 1 s
workload: {model: squeezenet1_1, bits: 16}
accelerators:
  acc: {preset: eyeriss-v1}
  gpu: {kind: measured, profile: prof.csv, idle_power: 2 W}
nodes:
  - {name: cam, accelerator: acc}
  - {name: ecu, accelerator: gpu}
network:
  links:
    - {from: cam, to: ecu, type: 1000BASE-T, length: 5 m}
pipelines:
  - name: p
    source: {nodes: cam, fps: 10 fps}
    stages: [{node: cam, until: 60}, {node: ecu}]
"""


def test_a_measured_edge_node_takes_its_measured_times(partsim, tmp_path):
    layers = partsim.json("layers", "squeezenet1_1")["layers"]
    # positions 61..65 run on the ECU; give every compute layer a measured row
    rows, expect_t, expect_e = [], 0.0, 0.0
    for r in layers:
        if r["op"] in ("Flatten", "Reshape", "Concat"):
            continue
        t, w = 1e-4 * r["index"], 5.0 + 0.01 * r["index"]
        rows.append(f"{r['name']},{t},{w}")
        if r["index"] > 60:
            expect_t += t
            expect_e += t * w            # energy = power x latency
    (tmp_path / "prof.csv").write_text("layer,latency_s,power_w\n" + "\n".join(rows) + "\n")
    scn = tmp_path / "s.yaml"
    scn.write_text(SCENARIO)
    p = partsim("run", scn, "-o", tmp_path / "x.h5", "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(tmp_path / "x.h5") as f:
        fr = pd.DataFrame(f["frames"][:])
    np.testing.assert_allclose(fr.s1_end_s - fr.s1_start_s, expect_t, rtol=1e-9)
    np.testing.assert_allclose(fr.s1_energy_j, expect_e, rtol=1e-9)


def test_a_profile_that_misses_a_layer_names_it_and_the_scenario(partsim, tmp_path):
    (tmp_path / "prof.csv").write_text("layer,latency_s,power_w\n/features/features.0/Conv,0.001,5\n")
    scn = tmp_path / "s.yaml"
    scn.write_text(SCENARIO)
    p = partsim("run", scn, "-o", tmp_path / "x.h5", "--quiet")
    assert p.returncode == 1
    assert "s.yaml:7:8: accelerator 'gpu'" in p.stderr
    assert "layer '/features/features.1/Relu' (Relu)" in p.stderr and "has no row" in p.stderr
    assert not (tmp_path / "x.h5").exists()
