"""Every example scenario in platforms/examples/ runs and does what its comments say."""
import glob
import os

import h5py
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "platforms", "examples", "*.yaml")))


def stages_used(frames):
    """Number of stage groups a completed frame went through (s{k}_node >= 0)."""
    k = 0
    while "s%d_node" % k in frames.dtype.names:
        k += 1
    done = frames[frames["dropped"] == 0]
    return max(sum(1 for j in range(k) if done[i]["s%d_node" % j] >= 0) for i in range(len(done)))


def test_there_are_examples():
    names = {os.path.basename(p) for p in EXAMPLES}
    for want in ("adas-8cam.yaml", "kress-chain.yaml", "four-platform-chain.yaml",
                 "neupart-phone.yaml", "cnnparted-squeezenet.yaml", "cnnparted-googlenet.yaml",
                 "cnnparted-fcn.yaml", "city-block.yaml"):
        assert want in names


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_runs(partsim, tmp_path, path):
    out = tmp_path / "x.h5"
    r = partsim("run", path, "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["completed"] == 1
        summary = f["/summary"][:]
        frames = f["/frames"][:]
    assert (summary["completed"] > 0).all()
    name = os.path.basename(path)
    if name == "kress-chain.yaml":
        assert stages_used(frames) == 2
    if name == "four-platform-chain.yaml":
        # 4 stages on eyr0, eyr1, smb0, smb1: node indices 0..3 in that order
        assert stages_used(frames) == 4
        done = frames[frames["dropped"] == 0]
        assert [int(done[0]["s%d_node" % k]) for k in range(4)] == [0, 1, 2, 3]
    if name.startswith("cnnparted-"):
        # fixed cut (schedule positions from `partsim layers MODEL --cuts-only`)
        cut = {"cnnparted-squeezenet.yaml": 47, "cnnparted-googlenet.yaml": 22,
               "cnnparted-fcn.yaml": 54}[name]
        assert (frames["cut"][frames["dropped"] == 0] == cut).all()
    if name == "neupart-phone.yaml":
        # NeuPart Alg. 2 with the rate profile 100 / 20 / 5 / 1 Mb/s (10 s each):
        # the cut moves deeper as the rate falls
        done = frames[frames["dropped"] == 0]
        modes = []
        for lo in (0, 10, 20, 30):
            m = (done["capture_s"] >= lo) & (done["capture_s"] < lo + 10)
            vals, counts = np.unique(done["cut"][m], return_counts=True)
            modes.append(int(vals[np.argmax(counts)]))
        assert len(set(modes)) >= 3
        assert modes == sorted(modes)
        assert modes[-1] == 20  # everything on the phone at 1 Mb/s (AlexNet has 20 positions)
    if name == "city-block.yaml":
        # 1,024 cameras at 15 fps for 5 s, every frame on time, spread over the 128 edges
        # (node indices 1024..1151) by least-loaded dispatch
        # (random phases: each camera captures 75 frames, or 74 when its phase puts the
        # 75th past the end)
        assert 1024 * 74 < len(frames) <= 1024 * 75
        assert (frames["dropped"] == 0).all() and (frames["deadline_met"] == 1).all()
        assert set(np.unique(frames["s1_node"])) == set(range(1024, 1152))
