"""The optional /events table (trace: {events: true}): one row per stage run and per
transfer, consistent with /frames."""
import h5py
import numpy as np
import pandas as pd


def test_events_match_the_frames(partsim, repo, tmp_path):
    out = tmp_path / "e.h5"
    p = partsim("run", repo / "platforms/examples/adas-8cam.yaml", "-o", out, "--quiet",
                "--set", "duration=1s", "--set", "trace.events=true")
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        ev = pd.DataFrame(f["events"][:])
        fr = pd.DataFrame(f["frames"][:])
    ev["kind"] = ev.kind.str.decode("ascii")
    stages = ev[ev.kind == "stage"]
    transfers = ev[ev.kind == "transfer"]
    # two stages per frame (camera, ECU) and one transfer (camera -> ECU; t0 is local)
    assert len(stages) == 2 * len(fr) and len(transfers) == len(fr)
    np.testing.assert_allclose(stages.energy_j.sum(), fr.s0_energy_j.sum() + fr.s1_energy_j.sum(),
                               rtol=1e-12)
    np.testing.assert_allclose(transfers.energy_j.sum(), fr.t1_energy_j.sum(), rtol=1e-12)
    assert (transfers.bytes == fr.t1_wire_bytes.iloc[0]).all()
    # a stage event spans what /frames says the stage held the accelerator
    ecu = stages[stages.layer > 0].sort_values("start_s").start_s.to_numpy()
    np.testing.assert_allclose(ecu, np.sort(fr.s1_start_s.to_numpy()), rtol=0, atol=1e-12)


def test_no_events_table_unless_asked(partsim, repo, tmp_path):
    out = tmp_path / "n.h5"
    p = partsim("run", repo / "platforms/examples/adas-8cam.yaml", "-o", out, "--quiet",
                "--set", "duration=0.2s")
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        assert "events" not in f
