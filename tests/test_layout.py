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


# A function definition at the start of a line: "type name(args)" then "{" on the next line.
DEFINITION = re.compile(r"^(?!static\b|typedef\b|#|\s|/|\*)[A-Za-z_][\w \*]*?\b([a-z_][a-z0-9_]*)"
                        r"\s*\([^;{]*\)\s*\{", re.M)


def module_files():
    return {path.stem: (module, path) for module, path in sources() if path.suffix == ".c"}


def prefix_violations():
    files = module_files()
    names = sorted(files, key=len, reverse=True)
    out = []
    seen = {}
    for module, path in sources():
        stem = path.stem
        if path.suffix == ".c" and stem in seen and seen[stem] != path:
            out.append(f"{path.relative_to(REPO)}: another module file has the base name "
                       f"'{stem}' ({seen[stem].relative_to(REPO)})")
        seen.setdefault(stem, path)
    for module, path in sources():
        if path.suffix != ".c":
            continue
        text = path.read_text()
        for m in DEFINITION.finditer(text):
            fn = m.group(1)
            if fn == "main":
                continue
            owner = next((n for n in names if fn == n or fn.startswith(n + "_")), None)
            lineno = text.count("\n", 0, m.start(1)) + 1
            rel = path.relative_to(REPO)
            if owner is None:
                out.append(f"{rel}:{lineno}: {fn}() has no module prefix (expected "
                           f"{path.stem}_...)")
            elif owner != path.stem:
                out.append(f"{rel}:{lineno}: {fn}() reads as {files[owner][1].relative_to(REPO)}'s"
                           f" (expected {path.stem}_...)")
    return out


def test_a_functions_prefix_names_the_file_that_defines_it():
    bad = prefix_violations()
    assert not bad, "\n" + "\n".join(bad)


def test_the_prefix_rule_catches_a_misnamed_function(tmp_path, monkeypatch):
    fake = tmp_path / "repo"
    for module in MODULES:
        (fake / module).mkdir(parents=True)
    (fake / "base" / "csv.c").write_text("int csv_open(void)\n{\n    return 0;\n}\n")
    (fake / "base" / "csv_row.c").write_text("int csv_row_next(void) { return 0; }\n"
                                             "int csv_close(void)\n{\n    return 0;\n}\n"
                                             "static int helper(void) { return 1; }\n")
    monkeypatch.setattr(globals_module(), "REPO", fake)
    bad = prefix_violations()
    assert bad == ["base/csv_row.c:2: csv_close() reads as base/csv.c's (expected csv_row_...)"]
