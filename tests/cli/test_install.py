"""An installation works on its own: `cmake --install` of the build into a
temporary prefix, run from another folder with none of the variables that
point at the source tree (PARTSIM_ZOO, PARTSIM_PRESETS, PARTSIM_SOURCE_DIR).
The installed binary finds <prefix>/share/partsim/{zoo,presets} beside itself
(base/datadir.h); the examples name models, architectures and links by name
and their one data file (neupart-rate.csv) by a path beside them."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HIDDEN = ("PARTSIM_ZOO", "PARTSIM_PRESETS", "PARTSIM_SOURCE_DIR")


@pytest.fixture(scope="module")
def prefix(build_dir, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    r = subprocess.run(["cmake", "--install", str(build_dir), "--prefix", str(prefix)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return prefix


@pytest.fixture(scope="module")
def installed(prefix, tmp_path_factory):
    """Run <prefix>/bin/partsim from an empty folder, source-tree variables removed."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    base_env = {k: v for k, v in os.environ.items() if k not in HIDDEN}

    def run(*args, env=None):
        return subprocess.run([str(prefix / "bin" / "partsim"), *map(str, args)],
                              capture_output=True, text=True, cwd=elsewhere,
                              env=dict(base_env, **(env or {})), timeout=60)

    return run


def commands(help_text):
    return re.findall(r"^  (\w+) ", help_text.split("commands:", 1)[1], re.M)


def test_layout(prefix):
    share = prefix / "share" / "partsim"
    assert (prefix / "bin" / "partsim").is_file()
    assert (share / "presets" / "eyeriss-v1.yaml").is_file()
    assert (share / "presets" / "links" / "1000BASE-T.yaml").is_file()
    assert (share / "zoo" / "resnet50.onnx").is_file()
    assert (share / "examples" / "adas-8cam.yaml").is_file()
    assert (share / "examples" / "neupart-rate.csv").is_file()
    assert (prefix / "share" / "doc" / "partsim" / "README.md").is_file()
    assert (prefix / "share" / "doc" / "partsim" / "docs" / "SCENARIOS.md").is_file()
    assert (prefix / "share" / "bash-completion" / "completions" / "partsim").is_file()
    py = "python%d.%d" % sys.version_info[:2]
    assert (prefix / "lib" / py / "dist-packages" / "partsim" / "trace.py").is_file()
    # the installed package imports from there (for /usr/local, Debian's python3 looks there)
    site = prefix / "lib" / py / "dist-packages"
    out = subprocess.run(["/usr/bin/python3", "-c", "import partsim; print(partsim.__file__)"],
                         env=dict(os.environ, PYTHONPATH=str(site)), cwd="/",
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith(str(site)), out.stderr


def test_installed_demo_gives_the_build_tree_result(installed, prefix, partsim, repo):
    demo = prefix / "share" / "partsim" / "examples" / "adas-8cam.yaml"
    r = installed("run", demo, "--no-trace", "--quiet", "--format", "json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)["summary"][0]
    assert got["name"] == "detect"
    assert got["completed"] > 0
    assert got["completed"] == 2400
    source_demo = repo / "platforms" / "examples" / "adas-8cam.yaml"
    ref = partsim.json("run", source_demo, "--no-trace", "--quiet")["summary"][0]
    assert got["throughput_fps"] == pytest.approx(ref["throughput_fps"], rel=1e-12)
    assert got["latency_p99_s"] == pytest.approx(ref["latency_p99_s"], rel=1e-12)
    # the table form too, as `make demo` prints it
    r = installed("run", demo, "--no-trace", "--quiet")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^detect\s+2400\s+2400\s+0\s", r.stdout, re.M), r.stdout


def test_every_installed_example_runs(installed, prefix):
    examples = sorted((prefix / "share" / "partsim" / "examples").glob("*.yaml"))
    assert len(examples) >= 7
    for path in examples:
        r = installed("run", path, "--no-trace", "--quiet", "--format", "json")
        assert r.returncode == 0, f"{path.name}: {r.stderr}"
        assert all(p["completed"] > 0 for p in json.loads(r.stdout)["summary"]), path.name


def test_installed_layers_reads_the_installed_zoo(installed, prefix):
    r = installed("layers", "resnet50")
    assert r.returncode == 0, r.stderr
    zoo = prefix / "share" / "partsim" / "zoo"
    assert f"model resnet50 ({zoo}/resnet50.onnx)" in r.stdout
    for name in ("/conv1/Conv", "/maxpool/MaxPool", "/layer1/layer1.0/relu_2/Relu", "/fc/Gemm"):
        assert name in r.stdout
    assert "4089184256 MACs" in r.stdout
    r = installed("zoo", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["zoo"] == str(zoo)


def test_man_page_documents_every_command(installed, prefix):
    page = (prefix / "share" / "man" / "man1" / "partsim.1").read_text()
    assert page.startswith(".TH PARTSIM 1")
    names = commands(installed("--help").stdout)
    assert {"run", "explore", "sweep", "trace", "layers", "accel", "link", "zoo", "help"} <= set(names)
    for name in names:
        assert f'.SS "{name}"' in page, name
    # the options come from the same help text
    assert "\\-\\-no\\-trace" in page and "\\-\\-cuts\\-only" in page
    assert "__complete" not in page


def test_complete_offers_commands_options_presets_and_models(installed):
    def complete(*words):
        r = installed("__complete", *words)
        assert r.returncode == 0, r.stderr
        return r.stdout.split()

    assert complete("") == ["run", "explore", "sweep", "trace", "layers", "accel", "link", "zoo", "help"]
    assert complete("l") == ["layers", "link"]
    assert {"-o", "--output", "--no-trace", "--set", "--format", "--quiet"} <= set(complete("run", "-"))
    assert complete("run", "--format", "") == ["table", "csv", "json"]
    assert complete("run", "--format=c") == ["--format=csv"]
    assert "eyeriss-v1" in complete("accel", "")
    assert "resnet50" in complete("accel", "eyeriss-v1", "")
    assert complete("layers", "resn") == ["resnet101", "resnet50"]
    assert "1000BASE-T" in complete("link", "")
    assert complete("run", "") == []           # a SCENARIO: the shell completes files
    assert "__complete" not in installed("--help").stdout


def test_bash_completion_script_asks_the_binary(prefix):
    script = prefix / "share" / "bash-completion" / "completions" / "partsim"
    line = "partsim accel eyeriss-v1 --search "
    r = subprocess.run(["bash", "-c", f'source "{script}"; COMP_LINE="$1"; COMP_POINT=${{#1}}; '
                        f'_partsim "{prefix}/bin/partsim"; printf "%s\\n" "${{COMPREPLY[@]}}"',
                        "bash", line], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["energy", "latency", "edp"]
    r = subprocess.run(["bash", "-c", f'source "{script}"; complete -p partsim'],
                       capture_output=True, text=True, timeout=30)
    assert "-F _partsim" in r.stdout


def test_partsim_presets_overrides_the_installed_presets(installed, prefix, tmp_path):
    mine = tmp_path / "presets"
    mine.mkdir()
    shutil.copy(prefix / "share" / "partsim" / "presets" / "eyeriss-v1.yaml", mine / "my-npu.yaml")
    env = {"PARTSIM_PRESETS": str(mine)}
    r = installed("__complete", "accel", "", env=env)
    assert r.stdout.split() == ["my-npu"]
    r = installed("accel", "my-npu", "alexnet", "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["totals"]["macs"] == 714188480
    r = installed("accel", "eyeriss-v1", "alexnet", env=env)
    assert r.returncode == 1
    assert "no architecture preset 'eyeriss-v1' (presets: my-npu;" in r.stderr


def test_every_completed_option_is_one_the_command_takes(installed):
    """Completion reads the options from the help text; each must be one the parser knows."""
    names = installed("__complete", "").stdout.split()
    for name in names:
        if name == "help":
            continue
        options = installed("__complete", name, "-").stdout.split()
        assert "--format" in options and "--help" in options, name
        for option in options:
            r = installed(name, option)
            assert "unknown option" not in r.stderr, f"partsim {name} {option}: {r.stderr}"
