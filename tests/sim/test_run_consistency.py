"""`partsim run` against the analytic model (Kreß 2024 Def. 4): one camera, no contention, raw
cut-sets. Throughput = min over stages and links of 1 / time; latency = the sum of stage and
transfer times; both within 1 %."""
import pytest

from conftest import accel_prefix, chain_scenario, cut_bytes_raw, link_doc

MODEL, BITS = "alexnet", 8

# (arch of each stage's node, link type and length between consecutive stages, stage ends)
CHAINS = {
    # eyeriss-v1 runs positions 1..6 (13.5 ms), 100BASE-TX carries 32448 B, the Xavier the rest
    "2 stages": (("eyeriss-v1", "jetson-xavier-nx"), (("100BASE-TX", 10),), (6,)),
    # eyeriss 1..3, Simba 4..15, Xavier 16..M; 1000BASE-T then 100BASE-TX
    "3 stages": (("eyeriss-v1", "simba-chiplet", "jetson-xavier-nx"),
                 (("1000BASE-T", 5), ("100BASE-TX", 10)), (3, 15)),
}


def analytic(partsim, archs, links, ends):
    """Stage and transfer times by hand from `partsim accel`, `layers` and `link`."""
    raw = cut_bytes_raw(partsim, MODEL, BITS)
    M = len(raw) - 1
    bounds = (0, *ends, M)
    stages = []
    for k, arch in enumerate(archs):
        lat = accel_prefix(partsim, arch, MODEL, BITS, "latency_s", M)
        stages.append(lat[bounds[k + 1]] - lat[bounds[k]])    # positions bounds[k]+1..bounds[k+1]
    transfers = []
    for k, (kind, length) in enumerate(links):
        # wire bytes / line rate + latency + 6 ns/m x length (docs/NETWORK.md)
        transfers.append(link_doc(partsim, kind, raw[ends[k]], length)["time_s"])
    return stages, transfers


def steady_throughput(done):
    done = done.sort_values().to_numpy()
    half = len(done) // 2          # past the fill-up of the queues
    return (len(done) - 1 - half) / (done[-1] - done[half])


@pytest.mark.parametrize("chain", sorted(CHAINS))
def test_latency_is_the_sum_and_throughput_the_frame_rate_below_the_bottleneck(
        partsim, run_scenario, chain):
    archs, links, ends = CHAINS[chain]
    stages, transfers = analytic(partsim, archs, links, ends)
    bottleneck = max(stages + transfers)
    fps = 0.5 / bottleneck                       # the source at half the bottleneck's rate
    _, tr = run_scenario(chain_scenario(archs, links, ends, fps, 30))
    fr = tr.frames
    assert len(fr) == 30 and (fr.dropped == 0).all()
    for k, t in enumerate(stages):
        assert (fr[f"s{k}_end_s"] - fr[f"s{k}_start_s"]).to_numpy() == \
            pytest.approx(t, rel=0.01), f"stage {k}"
    for k, t in enumerate(transfers):
        got = fr[f"t{k + 1}_end_s"] - fr[f"t{k + 1}_start_s"]
        assert got.to_numpy() == pytest.approx(t, rel=0.01), f"transfer {k + 1}"
    expected = sum(stages) + sum(transfers)     # no queueing anywhere
    assert fr.latency_s.to_numpy() == pytest.approx(expected, rel=0.01)
    assert steady_throughput(fr.capture_s + fr.latency_s) == pytest.approx(fps, rel=0.01)


@pytest.mark.parametrize("chain", sorted(CHAINS))
def test_throughput_is_the_bottleneck_rate_when_the_source_is_faster(partsim, run_scenario,
                                                                     chain):
    archs, links, ends = CHAINS[chain]
    stages, transfers = analytic(partsim, archs, links, ends)
    slowest = max(stages)
    # a stage is the bottleneck (a link slower than the frame rate is refused before the run)
    assert slowest > max(transfers)
    fps = 1.5 / slowest
    assert 1 / fps > max(transfers)
    _, tr = run_scenario(chain_scenario(archs, links, ends, fps, 60))
    fr = tr.frames
    done = fr[fr.dropped == 0]
    assert (fr.dropped == 1).sum() > 0          # drop-newest sheds the excess
    assert len(done) + (fr.dropped == 1).sum() == 60
    # Kreß 2024 Def. 4: throughput = min over stages and links of 1 / time
    rate = 1 / max(stages + transfers)
    assert steady_throughput(done.capture_s + done.latency_s) == pytest.approx(rate, rel=0.01)
