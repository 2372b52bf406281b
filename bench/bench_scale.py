#!/usr/bin/python3
"""Scale of `partsim run` with the camera count (issue 10, section 5).

For each camera count N: N cameras at 30 fps on access switches of 48 ports
(1000BASE-T), each access switch on a 10GBASE-T uplink to one aggregation
switch, and N / 8 edge nodes (Jetson Xavier NX class, 10GBASE-T to the
aggregation switch: 8 cameras' cut-sets, 158 MB/s, would over-subscribe
1000BASE-T).  One pipeline per access switch: its 48 cameras send to
its 6 edges, camera i to edge i mod 6 (static dispatch; the scenario language
cannot yet say "N cameras over switches of F ports", so this script writes
the topology out).  ResNet-50 runs on the camera's Eyeriss up to CUT, the rest on the
edge.  10 s simulated (BENCH_DURATION), cameras' phases random.  The LOAD
factor scales the frame rate: 1.0 and 1.5 (150 % of the load point).

Per point: wall time, simulated frames per wall second, peak RSS
(/usr/bin/time), actors (cameras, each running its own stage 0, + NICs + edge
stage instances + receivers +
coordinator, as sim/pipeline.c creates them), the edge's utilisation, drops.

    bench/bench_scale.py [BUILD_DIR] [N ...]      (default: build 8 64 512 4096)
"""
import os
import re
import subprocess
import sys
import tempfile

PORTS, CAMS_PER_EDGE, FPS, CUT = 48, 8, 30.0, "/layer1/layer1.0/relu_2/Relu"
DURATION = os.environ.get("BENCH_DURATION", "10 s")


def scenario(n, load):
    """One pipeline per access switch: its cameras run stage 0, its share of
    the edge nodes (one per 8 cameras, on the aggregation switch) stage 1."""
    groups = (n + PORTS - 1) // PORTS
    nodes, links, pipes = [], [], []
    left, edges = n, 0
    for g in range(groups):
        k = min(PORTS, left)
        left -= k
        e = max(1, k // CAMS_PER_EDGE)
        edges += e
        nodes.append(f"  - {{name: c{g}x, count: {k}, accelerator: sensor}}")
        nodes.append(f"  - {{name: e{g}x, count: {e}, accelerator: gpu}}")
        links.append(f"    - {{from: c{g}x*, to: acc{g}, type: 1000BASE-T, length: 10 m}}")
        links.append(f"    - {{from: acc{g}, to: agg, type: 10GBASE-T, length: 30 m}}")
        links.append(f"    - {{from: e{g}x*, to: agg, type: 10GBASE-T, length: 5 m}}")
        pipes.append(f"""\
  - name: p{g}
    source: {{nodes: c{g}x*, fps: {FPS * load:g} fps, phase: random}}
    stages:
      - {{node: c{g}x, until: {CUT}}}
      - {{node: e{g}x}}
    queue: {{depth: 8, policy: drop-oldest}}""")
    switches = ", ".join([f"acc{g}" for g in range(groups)] + ["agg"])
    return f"""\
name: scale-{n}
seed: 1
duration: {DURATION}
workload: {{model: resnet50, bits: 8}}
accelerators:
  sensor: eyeriss-v1
  gpu: jetson-xavier-nx
nodes:
{chr(10).join(nodes)}
network:
  switches: [{switches}]
  links:
{chr(10).join(links)}
pipelines:
{chr(10).join(pipes)}
""", groups, edges


def run(partsim, n, load, tmp):
    text, groups, edges = scenario(n, load)
    path = os.path.join(tmp, f"scale-{n}.yaml")
    with open(path, "w") as f:
        f.write(text)
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", partsim, "run", path,
                           "--no-trace", "--quiet", "--format", "json"],
                          capture_output=True, text=True)
    if proc.returncode:
        return f"| {n} | {load:g} | failed: {proc.stderr.strip().splitlines()[-1]} |"
    wall, rss_kb = re.search(r"TIME ([0-9.]+) ([0-9]+)", proc.stderr).groups()
    import json
    doc = json.loads(proc.stdout)
    frames = sum(p["frames"] for p in doc["summary"])
    dropped = sum(p["dropped"] for p in doc["summary"])
    edge_busy = max(nd["utilization"] for nd in doc["nodes"] if nd["name"].startswith("e"))
    actors = n * 2 + edges * 3 + 1   # camera (running stage 0) and NIC per camera; stage, receiver, NIC per edge
    return (f"| {n} | {load:g} | {float(wall):.2f} | {frames / float(wall):,.0f} | "
            f"{int(rss_kb) / 1024:.0f} | {60 + 0.05 * n:.0f} | {actors:,} | {edge_busy:.2f} | "
            f"{dropped} |")


def main():
    args = sys.argv[1:]
    build = args.pop(0) if args and not args[0].isdigit() else "build"
    counts = [int(a) for a in args] or [8, 64, 512, 4096]
    partsim = os.path.join(build, "partsim")
    print("| cameras | load | wall s | frames / wall s | peak RSS MB | RSS target MB | actors "
          "| busiest edge | dropped |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            for load in (1.0, 1.5):
                print(run(partsim, n, load, tmp), flush=True)


if __name__ == "__main__":
    main()
