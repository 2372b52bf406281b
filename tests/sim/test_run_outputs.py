"""Where `partsim run` may write: never over a device, FIFO or folder (a FIFO in a temporary
folder stands for /dev/null here), never over one of its inputs; `--no-trace` writes nothing."""
import os
import stat
import subprocess

SCENARIO = """\
name: outputs
duration: 0.2 s
workload: {model: squeezenet1_1, bits: 8}
accelerators:
  acc: {preset: eyeriss-v1}
nodes:
  - {name: cam, accelerator: acc}
  - {name: ecu, accelerator: acc}
network:
  links:
    - {from: cam, to: ecu, type: 1000BASE-T}
pipelines:
  - name: det
    source: {nodes: cam, fps: 10 fps}
    stages:
      - {node: cam, until: 10}
      - {node: ecu}
"""


def write(tmp_path, name="s.yaml", text=SCENARIO):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_fifo_as_trace_path_is_refused_and_left_alone(partsim, tmp_path):
    scn = write(tmp_path)
    fifo = tmp_path / "null"
    os.mkfifo(fifo)
    before = set(os.listdir(tmp_path))
    proc = partsim("run", scn, "-o", fifo, "--quiet")
    assert proc.returncode == 1
    assert str(fifo) in proc.stderr and "FIFO" in proc.stderr and "--no-trace" in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert set(os.listdir(tmp_path)) == before


def test_a_folder_as_trace_path_is_refused(partsim, tmp_path):
    scn = write(tmp_path)
    folder = tmp_path / "results"
    folder.mkdir()
    proc = partsim("run", scn, "-o", folder, "--quiet")
    assert proc.returncode == 1 and "a folder" in proc.stderr
    assert folder.is_dir() and not list(folder.iterdir())


def test_the_scenario_itself_as_trace_path_is_refused(partsim, tmp_path):
    scn = write(tmp_path)
    proc = partsim("run", scn, "-o", tmp_path / "." / "s.yaml", "--quiet")
    assert proc.returncode == 1
    assert "one of this command's inputs" in proc.stderr
    assert scn.read_text() == SCENARIO
    assert not list(tmp_path.glob("*.partial-*"))


def test_a_rate_profile_as_trace_path_is_refused(partsim, tmp_path):
    profile = tmp_path / "rate.csv"
    profile.write_text("time_s,rate_bps\n0,100e6\n")
    text = SCENARIO.replace("type: 1000BASE-T}", "type: 1000BASE-T, profile: rate.csv}")
    scn = write(tmp_path, text=text)
    proc = partsim("run", scn, "-o", profile, "--quiet")
    assert proc.returncode == 1 and "rate.csv" in proc.stderr
    assert profile.read_text() == "time_s,rate_bps\n0,100e6\n"


def test_description_files_sparsity_and_model_as_trace_path_are_refused(partsim, repo,
                                                                         tmp_path):
    """Every file the scenario read is an input: architecture and link files,
    the sparsity CSV and the model (a copy of a zoo model here)."""
    import shutil
    (tmp_path / "acc.yaml").write_text("preset: eyeriss-v1\n")
    (tmp_path / "eth.yaml").write_text("preset: 1000BASE-T\n")
    shutil.copy(repo / "workloads" / "zoo" / "squeezenet1_1.onnx", tmp_path / "m.onnx")
    (tmp_path / "sp.csv").write_text("tensor,sparsity\n")
    text = (SCENARIO.replace("{model: squeezenet1_1, bits: 8}",
                             "{model: m.onnx, bits: 8, sparsity: sp.csv}")
            .replace("acc: {preset: eyeriss-v1}", "acc: acc.yaml")
            .replace("type: 1000BASE-T}", "type: eth.yaml}"))
    scn = write(tmp_path, text=text)
    assert partsim("run", scn, "--no-trace", "--quiet").returncode == 0
    for name in ("acc.yaml", "eth.yaml", "m.onnx", "sp.csv"):
        target = tmp_path / name
        before = target.read_bytes()
        proc = partsim("run", scn, "-o", target, "--quiet")
        assert proc.returncode == 1, name
        assert "one of this command's inputs" in proc.stderr and name in proc.stderr
        assert target.read_bytes() == before


def test_no_trace_runs_and_writes_nothing(partsim, repo, tmp_path):
    scn = write(tmp_path)
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"),
               PARTSIM_ZOO=str(repo / "workloads" / "zoo"))
    (tmp_path / "tmp").mkdir()
    proc = subprocess.run([str(partsim.binary), "run", str(scn), "--no-trace", "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "trace: none" in proc.stdout
    assert sorted(os.listdir(tmp_path)) == ["s.yaml", "tmp"]
    assert not os.listdir(tmp_path / "tmp")     # the platform's folder is gone too


def test_no_trace_with_an_output_path_is_a_usage_error(partsim, tmp_path):
    scn = write(tmp_path)
    proc = partsim("run", scn, "--no-trace", "-o", tmp_path / "x.h5")
    assert proc.returncode == 2 and "--no-trace" in proc.stderr
