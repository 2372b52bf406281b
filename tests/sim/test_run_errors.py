"""`partsim run` refuses bad scenarios with a clear message (exit 1, file, line:column) and
writes nothing: no trace, no .partial file."""
import pytest

GOOD = """\
name: e
workload: {model: alexnet, bits: 8}
accelerators:
  a: eyeriss-v1
  g: jetson-xavier-nx
nodes:
  - {name: cam, accelerator: a}
  - {name: ecu, accelerator: g}
network:
  links:
    - {from: cam, to: ecu, type: 1000BASE-T, length: 5 m}
pipelines:
  - name: p
    source: {nodes: cam, fps: 10 fps, frames: 3}
    stages:
      - {node: cam, until: 3}
      - {node: ecu}
"""

# (what, text replacement, expected pieces of the message)
CASES = {
    "unknown key": (("    source: {nodes: cam, fps", "    source: {nodes: cam, fsp: 1, fps"),
                    ["s.yaml:14:", "fsp", "did you mean 'fps'"]),
    "bad unit": (("fps: 10 fps", "fps: 10 Mbps"), ["s.yaml:14:", "Mbps"]),
    "bad send queue policy": (("{name: cam, accelerator: a}",
                               "{name: cam, accelerator: a, send_queue: {policy: drop-all}}"),
                              ["s.yaml:7:", "send_queue policy must be block, drop-oldest or "
                               "drop-newest, got 'drop-all'"]),
    "count of an unknown group": (("{name: ecu, accelerator: g}",
                                   "{name: ecu, count: {per: 2, of: cameras}, accelerator: g}"),
                                  ["s.yaml:8:", "no node or switch group 'cameras'"]),
    "count per zero": (("{name: ecu, accelerator: g}",
                        "{name: ecu, count: {per: 0, of: cam}, accelerator: g}"),
                       ["s.yaml:8:"]),
    "node defined twice": (("{name: ecu, accelerator: g}", "{name: cam, accelerator: g}"),
                           ["s.yaml:8:", "node 'cam' is defined twice"]),
    "missing node": (("      - {node: ecu}", "      - {node: gpu}"),
                     ["s.yaml:17:", "no node or node group 'gpu'"]),
    "cut not in the model": (("until: 3", "until: /features/features.2/MaxPol"),
                             ["s.yaml:16:", "no layer '/features/features.2/MaxPol'",
                              "did you mean '/features/features.2/MaxPool'"]),
    "cut index out of range": (("until: 3", "until: 99"), ["s.yaml:16:", "outside 0..20"]),
    "malformed yaml": (("    stages:", "    stages: [\n"), ["s.yaml:"]),
}


def assert_nothing_written(tmp_path):
    left = sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".yaml" and p.name != "rate.csv")
    assert left == [], left


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_names_file_line_and_writes_nothing(run_scenario, tmp_path, case):
    (old, new), pieces = CASES[case]
    assert old in GOOD
    proc, _ = run_scenario(GOOD.replace(old, new, 1), check=False)
    assert proc.returncode == 1, proc.stderr
    for piece in pieces:
        assert piece in proc.stderr, (piece, proc.stderr)
    assert_nothing_written(tmp_path)


def test_a_stage_with_no_route_to_the_next_is_refused(run_scenario, tmp_path):
    text = GOOD.replace("  - {name: ecu, accelerator: g}\n",
                        "  - {name: ecu, accelerator: g}\n  - {name: far, accelerator: g}\n")
    text = text.replace("      - {node: ecu}", "      - {node: far}")
    proc, _ = run_scenario(text, check=False)
    assert proc.returncode == 1
    assert "no route from 'cam' to 'far'" in proc.stderr
    assert_nothing_written(tmp_path)


def test_set_on_a_missing_key_is_refused(run_scenario, tmp_path):
    proc, _ = run_scenario(GOOD, "--set", "pipelines.p.source.fpz=5fps", check=False)
    assert proc.returncode == 1
    assert "fpz" in proc.stderr
    assert_nothing_written(tmp_path)


def test_output_into_a_folder_that_cannot_be_created(partsim, tmp_path):
    (tmp_path / "s.yaml").write_text(GOOD)
    (tmp_path / "file").write_text("not a folder")
    out = tmp_path / "file" / "sub" / "out.h5"
    proc = partsim("run", tmp_path / "s.yaml", "-o", out, "--quiet")
    assert proc.returncode == 1
    assert str(tmp_path / "file") in proc.stderr
    assert not out.exists()
