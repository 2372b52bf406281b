"""`mpirun -n 2 partsim sweep`: the points spread over two MPI ranks land in one file,
equal row for row to the one-process sweep's (OpenMPI from scripts/install-deps.sh)."""
import os
import shutil
import subprocess

import h5py
import pytest

from test_sweep import CUT, SCENARIO, assert_same_tables, tables


def mpirun(partsim, *args):
    exe = shutil.which("mpirun")
    assert exe, "mpirun is missing: scripts/install-deps.sh installs openmpi-bin"
    cmd = [exe, "--allow-run-as-root", "--oversubscribe", "-n", "2",
           # containers often forbid the cross-memory attach OpenMPI's shared
           # memory transport tries first
           "--mca", "btl_vader_single_copy_mechanism", "none",
           str(partsim.binary), *map(str, args)]
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def scn(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    return path


def test_two_ranks_give_the_one_process_file_row_for_row(partsim, scn, tmp_path):
    args = ["sweep", scn, "--vary", "seed=1:40:1", "--vary", f"{CUT}=3,8"]
    ranks = tmp_path / "ranks.h5"
    proc = mpirun(partsim, *args, "-o", ranks)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "over MPI ranks" in proc.stderr
    one = tmp_path / "one.h5"
    assert partsim(*args, "-o", one, "--quiet").returncode == 0
    a, b = tables(ranks), tables(one)
    assert len(a["/sweep/points"]) == 80
    assert_same_tables(a, b)
    with h5py.File(ranks, "r") as f:
        assert "seed=1,2,3" in str(f.attrs["sweep_spec"])
        assert (f.attrs["points_done"], f.attrs["interrupted"]) == (80, 0)
    assert not (tmp_path / "ranks.h5.journal").exists()


def test_two_ranks_print_one_table(partsim, scn):
    proc = mpirun(partsim, "sweep", scn, "--vary", f"{CUT}=3,8,12", "--format", "csv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("point,seed,") and len(lines) == 4
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1", "2"]


def test_an_error_on_every_rank_ends_the_job_with_rank_0s_message(partsim, scn):
    proc = mpirun(partsim, "sweep", scn, "--vary", "pipelines.0.sourc.fps=5fps,10fps")
    assert proc.returncode != 0
    assert "--vary pipelines.0.sourc.fps" in proc.stderr


def test_two_ranks_keep_every_points_run(partsim, scn, tmp_path):
    out = tmp_path / "k.h5"
    proc = mpirun(partsim, "sweep", scn, "--vary", "seed=1:12:1", "--keep-runs", "-o", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with h5py.File(out, "r") as f:
        assert sorted(int(k) for k in f["/runs"].keys()) == list(range(12))
        pts = f["/sweep/points"][:]
        for p in range(12):
            assert f[f"/runs/{p}/summary"][0]["completed"] == pts[p]["completed"]
