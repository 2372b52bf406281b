"""Shared pytest fixtures: where the partsim binary and the repository are."""
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _binary():
    env = os.environ.get("PARTSIM")
    path = Path(env) if env else REPO / "build" / "partsim"
    if not path.exists():
        pytest.exit(f"partsim binary not found at {path}: run `make` first (or set PARTSIM)", 2)
    return path


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def build_dir():
    """The CMake build folder: the one holding $PARTSIM, else build/."""
    env = os.environ.get("PARTSIM")
    return Path(env).resolve().parent if env else REPO / "build"


@pytest.fixture(scope="session")
def partsim():
    """Run partsim with arguments; returns CompletedProcess (text)."""
    binary = _binary()
    env = dict(os.environ, PARTSIM_ZOO=str(REPO / "workloads" / "zoo"))

    def run(*args, check=False):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                              env=env, timeout=300)
        if check and proc.returncode != 0:
            raise AssertionError(f"partsim {' '.join(map(str, args))} exited "
                                 f"{proc.returncode}: {proc.stderr}")
        return proc

    run.binary = binary
    run.json = lambda *args: json.loads(run(*args, "--format", "json", check=True).stdout)
    return run
