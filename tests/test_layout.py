"""The layout shows the architecture: every module includes only the modules below it
(docs/DEVELOPING.md, "Layout"), third-party headers stay in the one module that wraps them,
and a function's prefix names the file that defines it."""
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# module -> the project modules it may include (itself always)
ALLOWED = {
    "base": set(),
    "workloads": {"base"},
    "accel": {"workloads", "base"},
    "net": {"workloads", "base"},
    "platforms": {"accel", "net", "workloads", "base"},
    "traces": {"base"},
    "sim": {"platforms", "accel", "net", "workloads", "traces", "base"},
    "cli": {"sim", "platforms", "accel", "net", "workloads", "traces", "base"},
}
MODULES = sorted(ALLOWED)

# third-party headers -> the one module that may include them
OWNED = [
    (re.compile(r"^(simgrid|xbt)/"), "sim", "SimGrid"),
    (re.compile(r"^hdf5(_hl)?\.h$|^H5"), "traces", "HDF5"),
    (re.compile(r"^yaml\.h$"), "platforms", "libyaml"),
    (re.compile(r"^protobuf-c/|^onnx\.pb-c\.h$"), "workloads", "protobuf-c / ONNX"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def sources():
    for module in MODULES:
        for path in sorted((REPO / module).glob("*.[ch]")):
            yield module, path


def include_violations():
    out = []
    for module, path in sources():
        rel = path.relative_to(REPO)
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, header = m.groups()
            where = f"{rel}:{lineno}: {line.strip()}"
            for pattern, owner, what in OWNED:
                if pattern.search(header) and module != owner:
                    out.append(f"{where}: {what} headers belong in {owner}/ only")
            if kind == '"' and "/" in header:
                target = header.split("/")[0]
                if target in ALLOWED and target != module and target not in ALLOWED[module]:
                    allowed = ", ".join(sorted(ALLOWED[module])) or "nothing of the project"
                    out.append(f"{where}: {module}/ may include {allowed}, not {target}/")
                elif target in ALLOWED and not (REPO / header).exists():
                    out.append(f"{where}: no such file")
            elif kind == '"' and header != "onnx.pb-c.h":
                out.append(f"{where}: include project headers from the root ('{module}/...')")
    return out


def test_every_module_includes_only_the_modules_below_it():
    bad = include_violations()
    assert not bad, "\n" + "\n".join(bad)


def globals_module():
    import sys
    return sys.modules[__name__]


def test_the_rules_catch_an_upward_include(tmp_path, monkeypatch):
    """The checker itself: a header of base/ that includes sim/ is reported with file and line."""
    fake = tmp_path / "repo"
    for module in MODULES:
        (fake / module).mkdir(parents=True)
    (fake / "sim" / "x.h").write_text("")
    (fake / "base" / "y.h").write_text('#include <stdio.h>\n#include "sim/x.h"\n#include <hdf5.h>\n')
    monkeypatch.setattr(globals_module(), "REPO", fake)
    bad = include_violations()
    assert any(b.startswith("base/y.h:2:") and "not sim/" in b for b in bad), bad
    assert any(b.startswith("base/y.h:3:") and "HDF5" in b for b in bad), bad
