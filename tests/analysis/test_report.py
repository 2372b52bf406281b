"""`python3 -m partsim.report`: one self-contained HTML page per file, on files partsim writes
during the test, rendered in headless Chromium to check that every figure shows."""
import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "analysis"))
import partsim  # noqa: E402

EXAMPLES = REPO / "platforms/examples"
CHROMIUM = Path("/usr/bin/chromium")
WIDTH = 1280

FIGURES = {"run": ["timeline", "latency", "utilisation", "energy"],
           "explore": ["pareto", "pareto-throughput", "partition-points"],
           "sweep": ["sweep-latency-p99-s", "sweep-throughput-fps", "sweep-energy-per-frame-j",
                     "sweep-dropped"]}
TABLES = {"run": ["summary", "nodes", "links"],
          "explore": ["explore-summary", "explore-pick", "explore-front", "explore-baselines"],
          "sweep": ["sweep-points"]}


@pytest.fixture(scope="module")
def files(tmp_path_factory, partsim):
    """One file of each kind: {kind: path}."""
    out = tmp_path_factory.mktemp("report")
    made = {"run": out / "adas.h5", "explore": out / "kress.h5", "sweep": out / "sweep.h5"}
    partsim("run", EXAMPLES / "adas-8cam.yaml", "--set", "duration=2 s", "-o", made["run"],
            "--quiet", check=True)
    partsim("explore", EXAMPLES / "kress-chain.yaml", "-o", made["explore"], "--quiet",
            check=True)
    partsim("sweep", EXAMPLES / "adas-8cam.yaml", "--vary", "nodes.0.count=2,4", "--vary",
            "network.links.0.type=100BASE-TX,1000BASE-T", "--set", "duration=1 s", "-o",
            made["sweep"], "--quiet", check=True)
    return made


def report(*args):
    env = dict(os.environ, PYTHONPATH=str(REPO / "analysis"))
    return subprocess.run([sys.executable, "-m", "partsim.report", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def pages(files):
    """The report of each file: {kind: path of the HTML page}."""
    made = {}
    for kind, path in files.items():
        page = path.with_name(f"{kind}.html")
        proc = report(path, "-o", page)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"report: {page}"
        made[kind] = page
    return made


class Images(HTMLParser):
    """Every <img> of a page, and every tag name."""

    def __init__(self):
        super().__init__()
        self.images, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))


def parse(page):
    p = Images()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def png_of(img):
    prefix = "data:image/png;base64,"
    assert img["src"].startswith(prefix), img["src"][:40]
    return Image.open(io.BytesIO(base64.b64decode(img["src"][len(prefix):]))).convert("RGB")


@pytest.mark.parametrize("kind", ["run", "explore", "sweep"])
def test_the_page_holds_the_tables_and_every_figure_of_its_kind_and_nothing_external(pages,
                                                                                     files, kind):
    page = pages[kind]
    text = page.read_text(encoding="utf-8")
    parsed = parse(page)
    assert [img["id"] for img in parsed.images] == [f"img-{f}" for f in FIGURES[kind]]
    for img in parsed.images:
        assert img["alt"].startswith(img["id"][len("img-"):] + ": ")
        assert png_of(img).size == (int(img["width"]), int(img["height"]))
    for table in TABLES[kind]:
        assert f'id="table-{table}"' in text, table
    # self-contained: no script, no stylesheet or frame to fetch, no URL in any attribute
    assert not {"script", "link", "iframe", "object", "embed"} & set(parsed.tags)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", text, re.I)
    assert "url(" not in text
    t = partsim.open(files[kind])
    assert html.escape(t.attrs["command_line"]) in text
    if kind == "run":
        s = t["summary"].iloc[0]
        assert f"{s['latency_p99_s']:.6g}" in text and "latency_p99_s (s)" in text
    if kind == "explore":
        assert t["explore/pick"].platforms[0] in text
    if kind == "sweep":
        assert text.count("1000BASE-T") >= len(t["sweep/points"]) // 2


def chromium(home, *args):
    env = dict(os.environ, HOME=str(home))
    return subprocess.run([str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--force-device-scale-factor=1",
                           "--no-first-run", f"--user-data-dir={home / 'profile'}", *args],
                          capture_output=True, text=True, env=env, timeout=120)


# Added to a copy of the page only (the report itself has no script): where each image is.
LAYOUT_SCRIPT = """<script>
window.addEventListener("load", () => {
  const out = {width: innerWidth, height: document.documentElement.scrollHeight, images: {}};
  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    out.images[img.id] = [r.left + scrollX, r.top + scrollY, r.width, r.height, img.naturalWidth];
  }
  document.body.setAttribute("data-layout", JSON.stringify(out));
});
</script>"""


def layout(page, home):
    probe = page.with_name(page.stem + "-layout.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>",
                                                              LAYOUT_SCRIPT + "</body>"))
    proc = chromium(home, f"--window-size={WIDTH},1000", "--dump-dom", probe.as_uri())
    found = re.search(r'data-layout="([^"]*)"', proc.stdout)
    assert found, f"chromium printed no layout: {proc.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                    "(Debian package chromium, scripts/install-deps.sh)")
@pytest.mark.parametrize("kind", ["run", "explore", "sweep"])
def test_chromium_shows_every_figure_of_the_page(pages, kind, tmp_path):
    page = pages[kind]
    where = layout(page, tmp_path)
    assert where["width"] == WIDTH
    height = int(where["height"])
    shot = tmp_path / "shot.png"
    proc = chromium(tmp_path, f"--window-size={WIDTH},{height}", f"--screenshot={shot}",
                    page.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    screen = np.asarray(Image.open(shot).convert("RGB")).astype(float)
    assert screen.shape[:2] == (height, WIDTH)
    assert (screen < 250).any(axis=2).mean() > 0.02           # the page is not blank
    for img in parse(page).images:
        x, y, w, h, natural = where["images"][img["id"]]
        assert natural == int(img["width"]), f"{img['id']} was not decoded"
        assert w > 300 and h > 200 and x >= 0 and y + h <= height + 1, (img["id"], x, y, w, h)
        box = screen[int(round(y)):int(round(y + h)), int(round(x)):int(round(x + w))]
        drawn = (box < 235).any(axis=2).mean()
        assert drawn > 0.02, f"{img['id']}: {drawn:.3%} of its area is not white"
        # ... and it is this figure: the screenshot's region matches the embedded PNG.
        source = np.asarray(png_of(img).resize((box.shape[1], box.shape[0]))).astype(float)
        assert np.abs(box - source).mean() < 12, img["id"]


def test_a_file_it_cannot_read_exits_1_with_the_reason_and_writes_nothing(files, tmp_path):
    junk = tmp_path / "junk.h5"
    junk.write_text("not hdf5")
    page = tmp_path / "page.html"
    for bad, reason in ((junk, "cannot open it as an HDF5 file"),
                        (tmp_path / "missing.h5", "cannot open it as an HDF5 file")):
        proc = report(bad, "-o", page)
        assert proc.returncode == 1
        assert proc.stderr.startswith(f"partsim.report: error: {bad}: {reason}")
        assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.h5"]
    proc = report(files["run"], "-o", tmp_path)
    assert proc.returncode == 1 and "is a folder" in proc.stderr
    proc = report(files["run"], "-o", tmp_path / "no" / "such" / "folder.html")
    assert proc.returncode == 1 and "cannot write" in proc.stderr
    assert "Traceback" not in proc.stderr
    copy = tmp_path / "copy.h5"
    shutil.copy(files["run"], copy)
    proc = report(copy, "-o", copy)
    assert proc.returncode == 1 and "is the input file" in proc.stderr
    assert copy.read_bytes() == files["run"].read_bytes()


def test_the_page_replaces_an_old_one_only_when_complete(files, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("old page")
    junk = tmp_path / "junk.h5"
    junk.write_text("not hdf5")
    assert report(junk, "-o", page).returncode == 1
    assert page.read_text() == "old page"
    proc = report(files["sweep"], "-o", page)
    assert proc.returncode == 0, proc.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.h5", "page.html"]
    # without -o: beside the file, its suffix .html
    copy = tmp_path / "sweep.h5"
    shutil.copy(files["sweep"], copy)
    assert report(copy).returncode == 0 and (tmp_path / "sweep.html").exists()


def test_help_says_how_to_call_it():
    proc = report("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: python3 -m partsim.report [-h] [-o OUTPUT]")
    assert "self-contained HTML page" in proc.stdout
