"""`partsim link`: bytes on the wire, time and energy of one transfer over a link type (IEEE and
CNNParted framing, EEE, wireless, chip-to-chip, CSV/JSON, user YAML, errors). Every expected
value is computed here from the formulas of docs/NETWORK.md and the preset numbers of
platforms/presets/links/*.yaml."""
import csv
import io
import math

import pytest

# preset -> (rate b/s, P_active W, P_idle W, P_lpi W, Tw s, Ts s)   (platforms/presets/links/)
ETHERNET = {
    "100BASE-TX": (100e6, 0.200, 0.200, 0.020, 30.5e-6, 200e-6),
    "1000BASE-T": (1e9, 0.600, 0.600, 0.060, 16.5e-6, 182e-6),
    "10GBASE-T": (10e9, 4.0, 4.0, 0.400, 4.48e-6, 2.88e-6),
    "100BASE-T1": (100e6, 0.250, 0.250, 0.025, 30.5e-6, 200e-6),
    "1000BASE-T1": (1e9, 0.450, 0.450, 0.045, 16.5e-6, 182e-6),
}
# CNNParted's PHY power by rate (docs/NETWORK.md "cnnparted framing")
CNNPARTED_POWER = {100e6: 0.2, 1e9: 0.6, 10e9: 4.0}
PAYLOADS = (0, 1, 46, 1500, 1501, 100000)
CABLE_S_PER_M = 6e-9
PREAMBLE_SFD, HEADER_FCS, GAP, MIN_PAYLOAD, MTU, IP_UDP = 8, 18, 12, 46, 1500, 28
REQUIRED = ("wire_bytes", "time_s", "energy_j", "power_w", "feasible")


def link_json(partsim, *args):
    return partsim.json("link", *args)


def link_csv(partsim, *args):
    out = partsim("link", *args, "--format", "csv", check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1, out
    return rows[0]


def ieee_wire_bytes(payload, ip_udp=False):
    """IEEE 802.3 framing: frames of at most 1500 B of MAC client data (1472 B of user data
    plus 28 B of IPv4 + UDP headers with ip_udp), each padded to 46 B, plus 8 + 18 + 12 B."""
    per_frame = MTU - IP_UDP if ip_udp else MTU
    frames = max(1, math.ceil(payload / per_frame))  # an empty transfer sends one frame
    total = 0
    left = payload
    for _ in range(frames):
        data = min(left, per_frame)
        left -= data
        client = data + (IP_UDP if ip_udp else 0)
        total += PREAMBLE_SFD + HEADER_FCS + max(client, MIN_PAYLOAD) + GAP
    assert left == 0
    return frames, total


def cnnparted_wire_bytes(payload):
    return max(payload, 46) + math.ceil(payload / 1500) * 26


# 1. IEEE framing (default)


def test_ieee_framing_worked_examples_of_the_docs():
    # docs/NETWORK.md: full frame 1538 B, smallest 84 B, 1 MB -> 667 frames, 1 025 346 B
    assert ieee_wire_bytes(1500) == (1, 8 + 18 + 1500 + 12) == (1, 1538)
    assert ieee_wire_bytes(0) == (1, 8 + 18 + 46 + 12) == (1, 84)
    assert ieee_wire_bytes(1_000_000) == (667, 666 * 1538 + 38 + 1000)
    assert 666 * 1538 + 38 + 1000 == 1_025_346


@pytest.mark.parametrize("preset", list(ETHERNET))
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("ip_udp", [False, True], ids=["plain", "ip-udp"])
def test_ieee_framing_wire_bytes_time_and_energy(partsim, preset, payload, ip_udp):
    rate, p_active = ETHERNET[preset][:2]
    length = 7
    args = [preset, "--bytes", payload, "--length", f"{length}m"] + (["--ip-udp"] if ip_udp else [])
    doc = link_json(partsim, *args)
    frames, wire = ieee_wire_bytes(payload, ip_udp)
    assert doc["framing"] == "ieee"
    assert doc["payload_bytes"] == payload
    assert doc["frames"] == frames
    assert doc["wire_bytes"] == wire
    t_send = wire * 8 / rate
    assert doc["wire_delay_s"] == pytest.approx(CABLE_S_PER_M * length, rel=1e-9)
    assert doc["time_s"] == pytest.approx(t_send + CABLE_S_PER_M * length, rel=1e-12)
    # a lone transfer (no fps): the PHY is charged P_active for t_send, no idle share
    assert doc["active_energy_j"] == pytest.approx(p_active * t_send, rel=1e-12)
    assert doc["idle_energy_j"] == 0
    assert doc["energy_j"] == pytest.approx(p_active * t_send, rel=1e-12)
    assert doc["power_w"] == pytest.approx(doc["energy_j"] / doc["time_s"], rel=1e-12)
    assert doc["feasible"] is True


@pytest.mark.parametrize("payload,frames,wire", [
    (1472, 1, 8 + 18 + 1472 + 28 + 12),                        # one full 1500 B frame
    (1473, 2, (8 + 18 + 1500 + 12) + (8 + 18 + 46 + 12)),      # 1 B + 28 B padded to 46 B
    (18, 1, 8 + 18 + 46 + 12),                                 # 18 + 28 = 46: no padding
    (19, 1, 8 + 18 + 47 + 12),
])
def test_ip_udp_carries_1472_bytes_of_user_data_per_frame(partsim, payload, frames, wire):
    doc = link_json(partsim, "1000BASE-T", "--bytes", payload, "--ip-udp")
    assert (doc["frames"], doc["wire_bytes"]) == (frames, wire)
    assert ieee_wire_bytes(payload, ip_udp=True) == (frames, wire)


def test_ieee_docs_example_1000base_t_100kb(partsim):
    doc = link_json(partsim, "1000BASE-T", "--bytes", 100000, "--length", "5m")
    # 67 frames: 66 x 1538 + (8 + 18 + 100000 - 66*1500 + 12)
    assert doc["wire_bytes"] == 66 * 1538 + 38 + (100000 - 66 * 1500) == 102546
    assert doc["time_s"] == pytest.approx(102546 * 8 / 1e9 + 5 * 6e-9, rel=1e-12)


def test_ieee_with_fps_charges_the_idle_share_of_the_period(partsim):
    rate, p_active, p_idle = ETHERNET["100BASE-TX"][:3]
    fps, payload = 25, 100000
    doc = link_json(partsim, "100BASE-TX", "--bytes", payload, "--fps", fps)
    _, wire = ieee_wire_bytes(payload)
    t_send, period = wire * 8 / rate, 1 / fps
    assert doc["active_energy_j"] == pytest.approx(p_active * t_send, rel=1e-12)
    assert doc["idle_energy_j"] == pytest.approx(p_idle * (period - t_send), rel=1e-9)
    assert doc["energy_j"] == pytest.approx(p_active * t_send + p_idle * (period - t_send),
                                            rel=1e-12)
    assert doc["power_w"] == pytest.approx(doc["energy_j"] * fps, rel=1e-12)
    assert doc["utilization"] == pytest.approx(doc["time_s"] * fps, rel=1e-12)
    assert doc["feasible"] is True


# 2. CNNParted framing


@pytest.mark.parametrize("preset", list(ETHERNET))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_cnnparted_framing(partsim, preset, payload):
    rate = ETHERNET[preset][0]
    power = CNNPARTED_POWER[rate]  # chosen by the rate, T1 types included
    length = 5
    doc = link_json(partsim, preset, "--bytes", payload, "--framing", "cnnparted",
                    "--length", f"{length}m")
    wire = max(payload, 46) + math.ceil(payload / 1500) * 26
    assert doc["framing"] == "cnnparted"
    assert doc["wire_bytes"] == wire
    time = wire * 8 / rate + 6e-9 * length
    assert doc["time_s"] == pytest.approx(time, rel=1e-12)
    # docs: charged over the whole T_link of eq. (1), propagation included; no idle energy
    assert doc["energy_j"] == pytest.approx(power * time, rel=1e-12)
    assert doc["idle_energy_j"] == 0
    assert doc["power_w"] == pytest.approx(power, rel=1e-12)
    assert doc["feasible"] is True


def test_cnnparted_docs_example(partsim):
    doc = link_json(partsim, "1000BASE-T", "--bytes", 100000, "--framing", "cnnparted",
                    "--length", "5m")
    assert doc["wire_bytes"] == 100000 + 67 * 26 == 101742
    assert doc["time_s"] == pytest.approx(813.936e-6 + 30e-9, rel=1e-12)
    assert doc["energy_j"] == pytest.approx(0.6 * (813.936e-6 + 30e-9), rel=1e-12)


@pytest.mark.parametrize("payload,fps,feasible", [
    (2_000_000, 30, False),   # 2 MB on 100 Mb/s: 0.163 s x 30 = 4.88
    (1_000_000, 10, True),    # docs: 81.39 ms, utilisation 0.814
    (1_000_000, 15, False),   # docs: 1.221
    (1000, 30, True),
])
def test_cnnparted_feasibility_at_a_frame_rate(partsim, payload, fps, feasible):
    doc = link_json(partsim, "100BASE-TX", "--bytes", payload, "--framing", "cnnparted",
                    "--fps", fps)
    wire = max(payload, 46) + math.ceil(payload / 1500) * 26
    time = wire * 8 / 100e6
    assert doc["time_s"] == pytest.approx(time, rel=1e-12)
    assert doc["utilization"] == pytest.approx(time * fps, rel=1e-12)
    assert doc["feasible"] is feasible
    assert (time * fps <= 1) is feasible
    # CNNParted framing: P only while sending, no idle share even with fps
    assert doc["energy_j"] == pytest.approx(0.2 * time, rel=1e-12)
    assert doc["idle_energy_j"] == 0


def test_cnnparted_on_a_rate_it_does_not_model_is_an_error(partsim, tmp_path):
    path = _user_link(tmp_path)
    proc = partsim("link", path, "--bytes", 1000, "--framing", "cnnparted")
    assert proc.returncode == 1
    assert "cnnparted" in proc.stderr.lower() and proc.stdout == ""


# 3. EEE (802.3az)


def test_eee_saves_energy_on_a_small_payload_at_a_low_rate(partsim):
    rate, p_active, p_idle, p_lpi, tw, ts = ETHERNET["1000BASE-T"]
    payload, fps = 1000, 10
    plain = link_json(partsim, "1000BASE-T", "--bytes", payload, "--fps", fps)
    eee = link_json(partsim, "1000BASE-T", "--bytes", payload, "--fps", fps, "--eee")
    _, wire = ieee_wire_bytes(payload)
    assert wire == 8 + 18 + 1000 + 12
    t_send, period = wire * 8 / rate, 1 / fps
    assert period - t_send > tw + ts
    assert plain["energy_j"] == pytest.approx(p_active * t_send + p_idle * (period - t_send),
                                              rel=1e-12)
    expect = p_active * (tw + t_send + ts) + p_lpi * (period - tw - t_send - ts)
    assert eee["active_energy_j"] == pytest.approx(p_active * (tw + t_send + ts), rel=1e-12)
    assert eee["idle_energy_j"] == pytest.approx(p_lpi * (period - tw - t_send - ts), rel=1e-9)
    assert eee["energy_j"] == pytest.approx(expect, rel=1e-12)
    assert eee["energy_j"] < plain["energy_j"]
    # the wake time delays the transfer
    assert eee["time_s"] == pytest.approx(t_send + tw, rel=1e-12)
    assert plain["time_s"] == pytest.approx(t_send, rel=1e-12)
    assert eee["power_w"] == pytest.approx(eee["energy_j"] * fps, rel=1e-12)


def test_eee_lone_transfer_always_wakes_and_sleeps(partsim):
    rate, p_active, _, _, tw, ts = ETHERNET["100BASE-TX"]
    payload = 5000
    doc = link_json(partsim, "100BASE-TX", "--bytes", payload, "--eee")
    _, wire = ieee_wire_bytes(payload)
    t_send = wire * 8 / rate
    assert doc["energy_j"] == pytest.approx(p_active * (tw + t_send + ts), rel=1e-12)
    assert doc["idle_energy_j"] == 0
    assert doc["time_s"] == pytest.approx(tw + t_send, rel=1e-12)


def test_ieee_infeasible_rate_has_no_idle_share(partsim):
    rate, p_active = ETHERNET["100BASE-TX"][:2]
    payload, fps = 2_000_000, 30
    doc = link_json(partsim, "100BASE-TX", "--bytes", payload, "--fps", fps)
    _, wire = ieee_wire_bytes(payload)
    t_send = wire * 8 / rate
    assert t_send > 1 / fps
    assert doc["idle_energy_j"] == 0
    assert doc["energy_j"] == pytest.approx(p_active * t_send, rel=1e-12)
    assert doc["utilization"] == pytest.approx(t_send * fps, rel=1e-12)
    assert doc["feasible"] is False


def test_eee_docs_example_1000base_t_100kb_100fps(partsim):
    doc = link_json(partsim, "1000BASE-T", "--bytes", 100000, "--fps", 100, "--eee")
    # 0.6 W * 1018.868 us + 0.06 W * 8981.132 us = 1150.19 uJ
    assert doc["energy_j"] == pytest.approx(0.6 * 1018.868e-6 + 0.06 * 8981.132e-6, rel=1e-9)
    assert doc["time_s"] == pytest.approx(820.368e-6 + 16.5e-6, rel=1e-9)


def test_eee_saves_nothing_when_the_gap_is_shorter_than_tw_plus_ts(partsim):
    rate, p_active, p_idle, _, tw, ts = ETHERNET["1000BASE-T"]
    payload, fps = 1000, 10000
    _, wire = ieee_wire_bytes(payload)
    t_send, period = wire * 8 / rate, 1 / fps
    assert period - t_send < tw + ts  # 91.7 us < 198.5 us
    plain = link_json(partsim, "1000BASE-T", "--bytes", payload, "--fps", fps)
    eee = link_json(partsim, "1000BASE-T", "--bytes", payload, "--fps", fps, "--eee")
    expect = p_active * t_send + p_idle * (period - t_send)
    assert plain["energy_j"] == pytest.approx(expect, rel=1e-12)
    assert eee["energy_j"] == pytest.approx(expect, rel=1e-12)
    assert eee["energy_j"] == pytest.approx(plain["energy_j"], rel=1e-12)
    # no wake time is added either
    assert eee["time_s"] == pytest.approx(plain["time_s"], rel=1e-12)


def test_eee_docs_example_at_1000_fps_saves_nothing(partsim):
    doc = link_json(partsim, "1000BASE-T", "--bytes", 100000, "--fps", 1000, "--eee")
    assert doc["energy_j"] == pytest.approx(0.6 * 1e-3, rel=1e-9)  # 600 uJ


@pytest.mark.parametrize("preset", ["wifi-n", "grs-simba"])
def test_eee_on_a_link_that_is_not_ethernet_is_an_error(partsim, preset):
    proc = partsim("link", preset, "--bytes", 1000, "--eee")
    assert proc.returncode == 1
    assert "EEE" in proc.stderr and preset in proc.stderr
    assert proc.stdout == ""


# 4. wireless and chip-to-chip


@pytest.mark.parametrize("payload", [1, 1000, 1_000_000, 12345678])
def test_wifi_n_neupart_eq_24(partsim, payload):
    rate, p_tx, latency = 60e6, 0.5, 0.0  # wifi-n.yaml (NeuPart Table IV)
    doc = link_json(partsim, "wifi-n", "--bytes", payload)
    bits = payload * 8
    assert doc["wire_bytes"] == payload  # no framing
    assert doc["time_s"] == pytest.approx(bits / rate + latency, rel=1e-12)
    assert doc["energy_j"] == pytest.approx(p_tx * bits / rate, rel=1e-12)
    assert doc["power_w"] == pytest.approx(p_tx, rel=1e-12)


def test_wifi_n_docs_example(partsim):
    doc = link_json(partsim, "wifi-n", "--bytes", "1MB")
    assert doc["time_s"] == pytest.approx(133.333e-3, rel=1e-5)
    assert doc["energy_j"] == pytest.approx(66.667e-3, rel=1e-5)


@pytest.mark.parametrize("payload", [1, 1000, 1_000_000])
def test_grs_simba_time_and_energy_per_bit(partsim, payload):
    lanes, lane_rate, e_bit, latency = 8, 25e9, 1.17e-12, 20e-9  # grs-simba.yaml
    doc = link_json(partsim, "grs-simba", "--bytes", payload, "--fps", 10)
    bits = payload * 8
    assert doc["rate_bps"] == pytest.approx(lanes * lane_rate)
    assert doc["wire_bytes"] == payload
    assert doc["time_s"] == pytest.approx(bits / (lanes * lane_rate) + latency, rel=1e-12)
    assert doc["energy_j"] == pytest.approx(e_bit * bits, rel=1e-12)
    assert doc["utilization"] == pytest.approx(doc["time_s"] * 10, rel=1e-12)
    assert doc["power_w"] == pytest.approx(doc["energy_j"] * 10, rel=1e-12)


def test_grs_simba_docs_example(partsim):
    doc = link_json(partsim, "grs-simba", "--bytes", 1_000_000)
    assert doc["time_s"] == pytest.approx(40.02e-6, rel=1e-9)
    assert doc["energy_j"] == pytest.approx(9.36e-6, rel=1e-9)


# 5. CSV and JSON


@pytest.mark.parametrize("args", [
    ["1000BASE-T", "--bytes", 100000, "--length", "5m"],
    ["100BASE-TX", "--bytes", 2_000_000, "--framing", "cnnparted", "--fps", 30],
    ["1000BASE-T", "--bytes", 1000, "--fps", 10, "--eee"],
    ["10GBASE-T", "--bytes", 3000, "--ip-udp"],
    ["wifi-n", "--bytes", 1_000_000],
    ["grs-simba", "--bytes", 4096, "--fps", 60],
])
def test_csv_and_json_carry_the_same_numbers(partsim, args):
    doc = link_json(partsim, *args)
    row = link_csv(partsim, *args)
    for key in REQUIRED:
        assert key in doc, key
        assert key in row, key
    for key, value in doc.items():
        if key not in row:
            continue
        if isinstance(value, bool):
            assert row[key] == str(value).lower(), key
        elif isinstance(value, (int, float)):
            assert float(row[key]) == pytest.approx(value, rel=1e-12, abs=1e-300), key
        else:
            assert row[key] == value, key


def test_table_output_names_the_link(partsim):
    out = partsim("link", "1000BASE-T", "--bytes", 100000, check=True).stdout
    assert "1000BASE-T" in out and "102546" in out


# 6. user YAML link types


def _user_link(tmp_path):
    path = tmp_path / "my-phy.yaml"
    path.write_text("name: my-phy\n"
                    "kind: ethernet\n"
                    "rate: 2.5 Gbps\n"
                    "latency: 1 us\n"
                    "power: {active: 1 W, idle: 800 mW, lpi: 100 mW}\n"
                    "eee: {wake: 10 us, sleep: 20 us}\n"
                    "mtu: 1500 B\n")
    return path


def test_a_user_yaml_link_type(partsim, tmp_path):
    rate, p_active, p_idle, p_lpi, tw, ts, latency = 2.5e9, 1.0, 0.8, 0.1, 10e-6, 20e-6, 1e-6
    path = _user_link(tmp_path)
    payload = 3000
    doc = link_json(partsim, path, "--bytes", payload, "--length", "2m")
    frames, wire = ieee_wire_bytes(payload)
    assert (frames, wire) == (2, 2 * (8 + 18 + 1500 + 12))
    assert doc["type"] == "my-phy"
    assert doc["rate_bps"] == pytest.approx(rate)
    assert doc["wire_bytes"] == wire
    t_send = wire * 8 / rate
    assert doc["time_s"] == pytest.approx(t_send + 6e-9 * 2 + latency, rel=1e-12)
    assert doc["energy_j"] == pytest.approx(p_active * t_send, rel=1e-12)
    # with EEE and a frame rate: idle 0.8 W is not used, LPI 0.1 W is
    fps = 1000
    eee = link_json(partsim, path, "--bytes", payload, "--fps", fps, "--eee")
    period = 1 / fps
    assert eee["energy_j"] == pytest.approx(
        p_active * (tw + t_send + ts) + p_lpi * (period - tw - t_send - ts), rel=1e-12)
    plain = link_json(partsim, path, "--bytes", payload, "--fps", fps)
    assert plain["energy_j"] == pytest.approx(p_active * t_send + p_idle * (period - t_send),
                                              rel=1e-12)


def test_a_typo_in_a_link_yaml_points_at_it(partsim, tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("kind: ethernet\nrate: 2.5 Gbps\npower: {active: 1 W}\nmtv: 1500 B\n")
    proc = partsim("link", path, "--bytes", 1000)
    assert proc.returncode == 1
    assert f"{path}:4:1" in proc.stderr
    assert "did you mean" in proc.stderr and "'mtu'" in proc.stderr
    assert proc.stdout == ""


def test_a_wrong_unit_in_a_link_yaml_points_at_it(partsim, tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text("kind: ethernet\nrate: 1 GHz\npower: {active: 1 W}\n")
    proc = partsim("link", path, "--bytes", 1000)
    assert proc.returncode == 1
    assert f"{path}:2:" in proc.stderr
    assert proc.stdout == ""


def test_unknown_link_preset_lists_the_presets(partsim):
    proc = partsim("link", "no-such-phy", "--bytes", 1000)
    assert proc.returncode == 1
    assert "no-such-phy" in proc.stderr
    for preset in ("100BASE-TX", "1000BASE-T", "10GBASE-T", "100BASE-T1", "1000BASE-T1",
                   "wifi-n", "grs-simba"):
        assert preset in proc.stderr
    assert proc.stdout == ""


# 7. usage errors


@pytest.mark.parametrize("args", [
    ["link"],
    ["link", "1000BASE-T"],
    ["link", "1000BASE-T", "--bytes", "-5"],
    ["link", "1000BASE-T", "--bytes", "lots"],
    ["link", "1000BASE-T", "--bytes", 1000, "--framing", "foo"],
    ["link", "1000BASE-T", "--bytes", 1000, "--fps", 0],
    ["link", "1000BASE-T", "--bytes", 1000, "--fps", "-1"],
    ["link", "1000BASE-T", "--bytes", 1000, "--nope"],
    ["link", "1000BASE-T", "--bytes", 1000, "--format", "xml"],
])
def test_link_usage_errors_exit_2(partsim, args):
    proc = partsim(*args)
    assert proc.returncode == 2
    assert "usage: partsim link" in proc.stderr
    assert proc.stdout == ""
