"""Runtime partitioning: `until: {auto: energy}` (NeuPart Alg. 2) over a wifi-n link whose rate
halves mid-run; the cut moves where argmin_p E_sensor(p) + P_tx * D(p) / B says."""
import pytest

from conftest import accel_prefix, cut_bytes_raw, link_doc

MODEL, BITS = "alexnet", 16
P_TX_W = 0.5           # platforms/presets/links/wifi-n.yaml: tx_power 0.5 W (NeuPart Table IV)
RATE_BPS = 60e6        # wifi-n: 60 Mb/s, halved to 30 Mb/s at t = 2.1 s by the profile
SWITCH_S = 2.1

SCENARIO = f"""\
name: neupart
seed: 5
workload: {{model: {MODEL}, bits: {BITS}}}
accelerators:
  phone: eyeriss-v1
  cloud: jetson-xavier-nx
nodes:
  - {{name: client, accelerator: phone}}
  - {{name: server, accelerator: cloud}}
network:
  links:
    - {{from: client, to: server, type: wifi-n, profile: rate.csv}}
pipelines:
  - name: offload
    source: {{nodes: client, fps: 5 fps, frames: 20}}
    stages:
      - {{node: client, until: {{auto: energy}}}}
      - {{node: server}}
    compression: raw
"""


def neupart_cut(E, D, rate_bps):
    """NeuPart Alg. 2: argmin over p of E_L(p) + P_Tx * D(p) / B (raw bytes: wifi-n adds no
    framing, checked below)."""
    cost = [E[p] + P_TX_W * D[p] * 8 / rate_bps for p in range(len(E))]
    return min(range(len(cost)), key=cost.__getitem__)


def test_energy_cut_moves_when_the_wireless_rate_halves(partsim, run_scenario, tmp_path):
    (tmp_path / "rate.csv").write_text(f"time_s,rate_bps\n0,{RATE_BPS:.0f}\n"
                                       f"{SWITCH_S},{RATE_BPS / 2:.0f}\n")
    D = cut_bytes_raw(partsim, MODEL, BITS)
    M = len(D) - 1
    E = accel_prefix(partsim, "eyeriss-v1", MODEL, BITS, "energy_j", M)
    assert link_doc(partsim, "wifi-n", D[3])["wire_bytes"] == D[3]
    fast, slow = neupart_cut(E, D, RATE_BPS), neupart_cut(E, D, RATE_BPS / 2)
    # by these numbers: after the first max-pool at 60 Mb/s, after the last one at 30 Mb/s
    assert (fast, slow) == (3, 13)
    _, tr = run_scenario(SCENARIO)
    fr = tr.frames
    assert len(fr) == 20 and (fr.dropped == 0).all()
    before, after = fr[fr.capture_s < SWITCH_S], fr[fr.capture_s > SWITCH_S]
    assert len(before) == 11 and len(after) == 9       # captures at 0, 0.2, ..., 3.8 s
    assert (before.cut == fast).all()
    assert (after.cut == slow).all()
    # and the transfers carry those cut-sets at those rates
    assert (before.t1_end_s - before.t1_start_s).to_numpy() == \
        pytest.approx(D[fast] * 8 / RATE_BPS, rel=1e-6)
    assert (after.t1_end_s - after.t1_start_s).to_numpy() == \
        pytest.approx(D[slow] * 8 / (RATE_BPS / 2), rel=1e-6)
    assert (fr.s0_energy_j[before.index]).to_numpy() == pytest.approx(E[fast], rel=1e-9)
    assert (fr.s0_energy_j[after.index]).to_numpy() == pytest.approx(E[slow], rel=1e-9)
