#!/usr/bin/env python3
"""Write partsim's man page (roff) from the help text the binary prints.

    scripts/gen-manpage.py BUILD/partsim OUT.1

`partsim --help` gives the name line, the synopsis, the command list and the
exit status; `partsim help COMMAND` each command's usage and text (cli/cli.c
is the one source of all three).  The build runs this after linking partsim,
so the page always says what the binary says.  Standard library only."""
import re
import subprocess
import sys


def partsim(binary, *args):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True,
                          env=env).stdout


def esc(text):
    """roff-escape one line: backslashes, dashes, leading '.' or '\''."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def paragraphs(text):
    """Blank-line separated blocks; an indented block is kept as laid out."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        if len(lines) > 1 and all(l.startswith("  ") for l in lines[1:]):
            # "Options:" and the aligned list under it
            out += [".PP", esc(lines[0]), ".nf", *(esc(l) for l in lines[1:]), ".fi"]
        elif any(l.startswith("  ") for l in lines):
            out += [".PP", ".nf", *(esc(l) for l in lines), ".fi"]
        else:
            out += [".PP", *(esc(l) for l in lines)]
    return out


def main(binary, out_path):
    top = partsim(binary, "--help")
    first, rest = top.split("\n\n", 1)
    m = re.match(r"partsim (\S+): (.*)", first.replace("\n", " "), re.S)
    version, what = m.group(1), m.group(2).rstrip(".")
    usage = re.search(r"^usage: partsim (.*)$", top, re.M).group(1)
    commands = re.findall(r"^  (\S+) +(.*)$", top.split("commands:", 1)[1], re.M)
    status = re.search(r"^Exit status: (.*)$", top, re.M).group(1)

    page = [f'.TH PARTSIM 1 "" "partsim {version}" "User Commands"',
            ".SH NAME", f"partsim \\- {esc(what)}",
            ".SH SYNOPSIS", f".B partsim\n{esc(usage)}",
            ".SH DESCRIPTION", ".B partsim",
            f"is a {esc(what)}. It does its work in the commands below; "
            "\\fBpartsim help\\fR \\fICOMMAND\\fR prints a command's section of this page.",
            ".SH COMMANDS"]
    for name, summary in commands:
        if name == "help":
            page += ['.SS "help"', ".nf", "partsim help COMMAND", ".fi", ".PP", esc(summary)]
            continue
        text = partsim(binary, "help", name)
        head, body = text.split("\n\n", 1)
        synopsis = head.removeprefix("usage: ")
        page += [".SS " + f'"{esc(name)}"', ".nf", *(esc(l) for l in synopsis.splitlines()),
                 ".fi", *paragraphs(body)]
    page += [".SH ENVIRONMENT",
             ".TP", ".B PARTSIM_ZOO",
             "Folder of the model zoo (the models usable by name).",
             ".TP", ".B PARTSIM_PRESETS",
             "Folder of the accelerator and device presets; link presets are in its",
             ".I links",
             "sub\\-folder.",
             ".PP",
             "Unset, partsim uses",
             ".I ../share/partsim/zoo",
             "and",
             ".I ../share/partsim/presets",
             "beside its executable when installed, else the source tree it was built from.",
             ".SH FILES",
             ".TP", ".I PREFIX/share/partsim/examples",
             "example scenarios, for example",
             ".BR adas\\-8cam.yaml .",
             ".TP", ".I PREFIX/share/doc/partsim",
             "the README and the documentation (scenarios, traces, models).",
             ".SH EXIT STATUS", esc(status)]
    with open(out_path, "w") as f:
        f.write("\n".join(page) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen-manpage.py PARTSIM OUT.1")
    main(*sys.argv[1:])
