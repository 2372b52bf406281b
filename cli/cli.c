/* Subcommand table, global options and shared option parsing. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"

#ifndef PARTSIM_VERSION
#define PARTSIM_VERSION "0.0.0"
#endif

static int cmd_help(const cli_command *self, int argc, char **argv);

static const cli_command COMMANDS[] = {
    {"run", "SCENARIO [-o out.h5 | --no-trace] [--set key=value ...] [--keep-platform]\n"
            "       [--format table|csv|json] [--quiet]",
     "simulate a scenario in time (SimGrid) and write its HDF5 trace",
     "SCENARIO is a YAML file (docs/SCENARIOS.md, platforms/examples/): the workload,\n"
     "accelerators, nodes, network and pipelines of cameras and stages.\n"
     "\n"
     "Cameras emit frames; each stage takes them from a bounded queue, holds its\n"
     "node's accelerator for the stage's time (the same per-layer costs as\n"
     "`partsim accel`) and sends the cut-set over the generated SimGrid network to\n"
     "the next stage. Prints throughput, latency percentiles, drops and energy per\n"
     "frame per pipeline, the busiest node and link, and where the trace is\n"
     "(docs/TRACES.md). The trace is written under a temporary name and renamed\n"
     "when complete: a failed run leaves nothing under the requested name. The\n"
     "trace path must be a regular file (or not exist) and none of the run's inputs.\n"
     "\n"
     "Options:\n"
     "  -o, --output PATH  the trace (default: the scenario's trace.path, else\n"
     "                     out/<scenario name>.h5)\n"
     "  --no-trace         run without writing a trace\n"
     "  --format F         the summary as table (default), csv (the /summary table)\n"
     "                     or json (/summary, /nodes and /links)\n"
     "  --set KEY=VALUE    override a scenario value; dotted keys, list items by\n"
     "                     index or name: --set pipelines.detect.source.fps=60fps\n"
     "                     (repeatable)\n"
     "  --keep-platform    keep the SimGrid platform XML next to the trace\n"
     "  --quiet            no progress on stderr\n"
     "  --cfg=... --log=...  passed to SimGrid\n",
     cmd_run},
    {"explore",
     "SCENARIO [--pipeline NAME] [--objectives LIST] [--weights OBJ=W,...] [--accuracy FILE]\n"
     "       [--positions all|single] [--platforms NODE,...] [--memory-model kress|autodice|peak]\n"
     "       [--max-memory [NODE=]SIZE] [--max-latency T] [--max-energy E] [--no-link-check]\n"
     "       [--set key=value ...] [--format table|csv|json] [--front-only] [--top N]\n"
     "       [-o FILE.h5] [--validate K|front] [--jobs N] [--export-mapping autodice FILE]\n"
     "       [--search exact|nsga2|auto] [--seed N] [--population N] [--generations N]",
     "every partition point of a pipeline, evaluated analytically: Pareto front",
     "For the pipeline's chain of platforms (each stage's node; camera 0 is the\n"
     "source), evaluates every placement of its cut points with the costs the\n"
     "simulator prices stages and transfers with (no simulation): latency,\n"
     "throughput of the asynchronous pipeline (Kress 2024 Def. 4), energy, the\n"
     "camera node's energy, the largest platform's memory and the bytes sent. A\n"
     "stage may be left empty (the frame goes on to the next platform), so the\n"
     "baselines, everything on one platform, are candidates too. Constraints\n"
     "remove candidates first (Kress 2024 Fig. 1); the Pareto front of the rest\n"
     "is reported with each point's gain over the best single platform, and the\n"
     "weighted sum (Kress 2024 Def. 2) picks one point (docs/EXPLORE.md).\n"
     "\n"
     "Options:\n"
     "  --pipeline NAME    the pipeline to explore (default: the first)\n"
     "  --objectives LIST  minimised together: latency, throughput, energy,\n"
     "                     sensor_energy, memory, link_bytes, accuracy (maximised;\n"
     "                     needs --accuracy) (default latency,throughput,energy)\n"
     "  --accuracy FILE    CSV with the header cut,accuracy: a cut's position or\n"
     "                     the layer it follows, its accuracy in [0, 1] (measured\n"
     "                     elsewhere); adds the accuracy column\n"
     "  --weights OBJ=W    weights of the weighted sum, each objective relative to\n"
     "                     the best single platform's value (default 1 each)\n"
     "  --positions P      all schedule positions (default) or single: only the\n"
     "                     single-tensor cuts (block boundaries) and 0 / M\n"
     "  --platforms LIST   also search which of these nodes (or groups) runs which\n"
     "                     stage, each node at most one stage, in any order\n"
     "                     (default: each stage on its own node, in chain order)\n"
     "  --memory-model M   a platform's memory: kress (Def. 3, default),\n"
     "                     autodice, or peak (parameters + peak live activations)\n"
     "  --max-memory SIZE  memory bound of every platform, or NODE=SIZE of the\n"
     "                     platform on that node or group (repeatable), e.g. 512KiB\n"
     "  --max-latency T    end-to-end latency bound, e.g. 50ms\n"
     "  --max-energy E     energy bound per frame, e.g. 5mJ\n"
     "  --no-link-check    keep candidates whose transfers need more than the\n"
     "                     route's rate at the pipeline's frame rate\n"
     "  --set KEY=VALUE    override a scenario value (repeatable)\n"
     "  --format F         table (default: baselines and front), csv or json\n"
     "                     (every candidate, with the front flagged)\n"
     "  --front-only       csv / json / -o: only the front's candidates\n"
     "  -o, --output FILE  also write an HDF5 file: every evaluated candidate with\n"
     "                     its detail (~8 us a candidate), the front, baselines,\n"
     "                     pick, constraint counts (docs/EXPLORE.md)\n"
     "  --validate K       re-run the K best feasible designs (weighted sum) in the\n"
     "                     simulator (the scenario's cameras, queues, contention)\n"
     "                     and show where the ranking changes; front: the front\n"
     "  --jobs N           simulations at once for --validate (default: one per core)\n"
     "  --export-mapping autodice FILE\n"
     "                     write the pick as an AutoDiCE mapping JSON (keys\n"
     "                     <node>_<accelerator>, values the ONNX node names)\n"
     "  --search S         exact, nsga2 (Deb 2002; its hypervolume is compared\n"
     "                     with the exact front's where that fits), or auto\n"
     "                     (default: exact up to 1e8 candidates)\n"
     "  --seed N           NSGA-II's random seed (default 1)\n"
     "  --population N     NSGA-II's population (default 100)\n"
     "  --generations N    NSGA-II's generations (default 100)\n"
     "  --top N            table: the N best front points (default 20)\n"
     "  -q, --quiet        no progress line\n"
     "\n"
     "CSV and JSON columns: cuts, cut_layers, platforms, latency_s, throughput_fps,\n"
     "energy_j, sensor_energy_j, link_bytes, memory_bytes, feasible, front, the\n"
     "gains in percent, then s<k>_* per stage and t<k>_* per transfer. JSON is an\n"
     "object with search, constraints, baselines, front, pick and candidates\n"
     "(with NSGA-II, those it met).\n",
     cmd_explore},
    {"sweep",
     "SCENARIO --vary KEY=VALUES [--vary ...] [--zip] [--seeds N] [--set key=value ...]\n"
     "       [-j N] [-o FILE.h5 [--resume] [--keep-runs]]\n"
     "       [--explore [--objectives LIST] [--weights OBJ=W,...]]\n"
     "       [--format table|csv|json] [--quiet]",
     "simulate a scenario at every point of a grid of values, in parallel",
     "Runs the scenario once per point of a grid of scenario values, each point\n"
     "in its own process (up to -j at once), and gathers every point's summary\n"
     "into one table and, with -o, one HDF5 file (docs/SWEEP.md). A point is the\n"
     "scenario with the --set values, then KEY=VALUE for every --vary. A point\n"
     "that fails (an impossible value) is recorded with its error and the sweep\n"
     "goes on; Ctrl-C starts no more points and keeps those finished. Under\n"
     "mpirun (or srun) the points spread over the ranks into the same one file.\n"
     "\n"
     "Options:\n"
     "  --vary KEY=VALUES  a scenario value to vary (any key --set takes), as a\n"
     "                     list V1,V2,... (units allowed: 100Mbps,1Gbps), a range\n"
     "                     START:STOP:STEP (1:8:1, 1ms:4ms:1ms) or a geometric\n"
     "                     one START:STOP:xFACTOR (100Mbps:1Gbps:x2); repeatable:\n"
     "                     every combination (the first --vary slowest)\n"
     "  --zip              pair the values instead (every --vary as long)\n"
     "  --seeds N          run each combination with N seeds: the scenario's\n"
     "                     seed, seed + 1, ...; report their spread (default 1)\n"
     "  --set KEY=VALUE    override a scenario value at every point (repeatable)\n"
     "  -j, --jobs N       points at once (default: one per core; 1 per MPI rank)\n"
     "  --explore          explore each point analytically (partsim explore's\n"
     "                     search and pick) instead of simulating it\n"
     "  --objectives LIST  with --explore: as partsim explore takes it\n"
     "  --weights OBJ=W    with --explore: as partsim explore takes it\n"
     "  -o, --output FILE  write /sweep/points and /sweep/energy to an HDF5 file\n"
     "                     (and FILE.journal until the sweep completes)\n"
     "  --keep-runs        with -o: each point's run tables too, /runs/<point>/\n"
     "  --resume           continue the interrupted or killed sweep of -o FILE:\n"
     "                     run only the points its journal lacks (with neither\n"
     "                     file nor journal yet: start it)\n"
     "  --format F         table (default), csv (a row per point as it ends) or\n"
     "                     json\n"
     "  -q, --quiet        no progress line and no notes on stderr\n"
     "\n"
     "Columns: point, seed, one per varied key (dots as '_'; the SI value, with\n"
     "<key>_text as given), pipeline_name, ok, error, frames, completed,\n"
     "dropped, deadline_missed, throughput_fps, latency_p50_s .. latency_max_s,\n"
     "energy_per_frame_j, busiest_node, busiest_node_utilization, busiest_link,\n"
     "busiest_link_utilization, events, simulated_s, wall_s,\n"
     "energy_per_frame_<group>_j (--explore: the pick's explore columns). Exit\n"
     "status 1 only when every point failed.\n",
     cmd_sweep},
    {"trace",
     "summary FILE [--format table|csv|json] | export FILE [--csv DIR] [--perfetto OUT.json]",
     "read back a run's, an exploration's or a sweep's HDF5 file",
     "summary FILE: what the file says, as its command printed it: a run's\n"
     "summary, nodes and links; an exploration's summary, pick, front and\n"
     "baselines; a sweep's points and spread (csv: the first of these tables).\n"
     "export FILE --csv DIR: every table of the file as DIR/<table>.csv\n"
     "(sweep/points as sweep_points.csv), each written whole or not at all.\n"
     "export FILE --perfetto OUT.json: a run's timeline for https://ui.perfetto.dev\n"
     "(or chrome://tracing): per node an accelerator and a NIC track, per link a\n"
     "track per direction; a slice per stage run and transfer (camera, frame,\n"
     "cut, layer or bytes, waiting time and energy in its arguments); counters\n"
     "of each node's stage and NIC queue and of each link direction's\n"
     "utilisation. Needs the run's /events (--set trace.events=true).\n"
     "The file must be partsim's, complete, and of this partsim's trace schema\n"
     "version (docs/TRACES.md); the message says which version it is otherwise.\n"
     "\n"
     "Options:\n"
     "  --format F         summary: table (default), csv or json\n"
     "  --csv DIR          export: the folder to write the CSV files to\n"
     "  --perfetto OUT     export: the trace-event JSON file to write\n"
     "  --from T, --to T   --perfetto: only what overlaps this part of the run\n"
     "                     ('2 s', '150 ms'; default: all of it)\n"
     "  --bins N           --perfetto: link utilisation bins (default 500)\n",
     cmd_trace},
    {"layers", "MODEL [--bits N] [--format table|csv|json] [--cuts-only] [--memory] [--tensors]",
     "per-layer shapes, MACs, parameters and partition points of a model",
     "MODEL is a path to an .onnx file or a zoo name (see `partsim zoo`).\n"
     "\n"
     "Prints one row per compute node in schedule order: index, node name, op,\n"
     "output shape, MACs, parameters, output bytes, and the bytes sent if the\n"
     "network is cut right after the node (its cut-set). Rows marked '*' are\n"
     "single-tensor cuts, the block boundaries the partitioning papers use.\n"
     "Position 0 (input) is the placement with everything on the next platform.\n"
     "\n"
     "Options:\n"
     "  --bits N          bit width of activations and parameters (default 16)\n"
     "  --format F        table (default), csv or json\n"
     "  --cuts-only       only the single-tensor cut points\n"
     "  --memory          add the memory of the two platforms for each cut:\n"
     "                    Kress 2024 Def. 3, AutoDiCE, and peak live memory\n"
     "  --tensors         (json) also list every tensor with its type and shape\n"
     "\n"
     "CSV and JSON carry, per node: index, name, op, output_shape, macs, params,\n"
     "output_bytes, cut_bytes, single_tensor_cut; JSON adds `totals`.\n",
     cmd_layers},
    {"accel",
     "ARCH MODEL [--bits N] [--clock F] [--batch N|auto|N1,N2,...|FILE]\n"
     "       [--sparsity FILE|default|none] [--search energy|latency|edp]\n"
     "       [--format table|csv|json] [--all]",
     "per-layer cycles, latency and energy of a model on one accelerator",
     "ARCH is a preset name (see below) or an architecture YAML file\n"
     "(docs/ACCELERATORS.md); MODEL is an .onnx file or a zoo name. The preset\n"
     "eyeriss-v1-cnnergy (compat: cnnergy) reproduces the CNNergy code of NeuPart's\n"
     "authors: conv and FC layers only, fractional mapping values, latency = MACs /\n"
     "23.1 GMAC/s.\n"
     "\n"
     "Prints one row per layer that costs time or energy: output shape, MACs, the\n"
     "mapping (row-stationary: NeuPart Table II parameters), cycles, latency, the\n"
     "bound that holds (compute or DRAM), PE utilisation, energy and its breakdown\n"
     "(mac, rf, interpe, glb, dram, clock, ctrl, static) in microjoules, per frame;\n"
     "then totals: frames/s, energy per frame, average and chip (without DRAM) power.\n"
     "\n"
     "Options:\n"
     "  --bits N          operand bit width (default: the architecture's); energies\n"
     "                    scale as NeuPart Sec. VIII-A (multiplier quadratically)\n"
     "  --clock F         clock frequency, e.g. 250MHz (default: the architecture's)\n"
     "  --batch B         frames processed together: N (default 1, the streaming\n"
     "                    camera case); auto = the N that NeuPart eq. (11) fits in the\n"
     "                    GLB (compat: cnnergy: CNNergy's first-simulation N); a list\n"
     "                    N1,N2,... with one value per conv / FC layer in schedule\n"
     "                    order; or a CSV file with the header node,batch (ONNX node\n"
     "                    names; nodes it leaves out run one frame)\n"
     "  --sparsity S      fraction of zeros per tensor: 'default' (ReLU outputs 0.5,\n"
     "                    data-movement ops inherit), 'none', or a CSV file with the\n"
     "                    header tensor,sparsity (ONNX tensor names)\n"
     "  --search OBJ      search the row-stationary mapping space for the lowest\n"
     "                    energy, latency or energy-delay product, and report the\n"
     "                    gain over CNNergy's rules per layer and in total\n"
     "  --format F        table (default), csv or json\n"
     "  --all             also list layers that cost nothing (reshapes, concats)\n"
     "\n"
     "CSV and JSON carry, per layer: index, node, op, kind, output_shape, macs,\n"
     "mapping, batch, cycles, compute_cycles, dram_cycles, glb_cycles, latency_s, bound,\n"
     "utilization, energy_j, dram_bytes and energy_<part>_j for every part above;\n"
     "with --search also the rules' energy and latency. JSON adds `totals`\n"
     "(frames_per_s, power_w, chip_power_w).\n",
     cmd_accel},
    {"link",
     "TYPE --bytes N [--length L] [--framing ieee|cnnparted] [--fps F] [--eee] [--ip-udp]\n"
     "       [--format table|csv|json]",
     "bytes on the wire, time and energy of one transfer over a link type",
     "TYPE is a link preset (100BASE-TX, 1000BASE-T, 10GBASE-T, 100BASE-T1,\n"
     "1000BASE-T1, wifi-n, grs-simba) or a link YAML file (docs/NETWORK.md).\n"
     "\n"
     "Ethernet payloads are split into frames of at most the MTU; IEEE framing adds\n"
     "preamble + SFD (8 B), header + FCS (18 B), padding to 46 B and the 12 B gap per\n"
     "frame; CNNParted framing reproduces the published tool: max(S, 46) +\n"
     "ceil(S / 1500) * 26 B, PHY power 200 / 600 / 4000 mW while sending. Time adds\n"
     "6 ns/m of cable (CNNParted eq. (1)). Wireless: E = P_tx * bits / B (NeuPart\n"
     "eq. (24)); chip-to-chip: lanes x lane rate, energy per bit.\n"
     "\n"
     "Options:\n"
     "  --bytes N         payload in bytes (units allowed: '196 KiB')\n"
     "  --length L        cable length, e.g. 5m (default 0)\n"
     "  --framing F       ieee (default) or cnnparted (Ethernet)\n"
     "  --fps F           transfers per second: adds the idle share of each period,\n"
     "                    utilisation, and whether the link keeps up\n"
     "  --eee             802.3az low-power idle between transfers (Ethernet)\n"
     "  --ip-udp          28 B of IPv4 + UDP headers in every frame\n"
     "  --format F        table (default), csv or json\n"
     "\n"
     "CSV and JSON carry at least wire_bytes, time_s, energy_j, power_w, feasible.\n",
     cmd_link},
    {"zoo", "[--format table|csv|json]",
     "list the models of the zoo (usable by name wherever a MODEL is asked)",
     "Lists the ONNX models in the zoo folder with their input shape, node count,\n"
     "GMACs, parameters and number of single-tensor cut points. The folder is\n"
     "$PARTSIM_ZOO if set, else share/partsim/zoo of the installation (beside\n"
     "bin/partsim), else the source tree's workloads/zoo. Regenerate the zoo with\n"
     "`make zoo` (in the source tree).\n"
     "\n"
     "Options:\n"
     "  --format F        table (default), csv or json\n",
     cmd_zoo},
    {"help", "[COMMAND]", "help on a command (partsim help COMMAND)",
     "Without COMMAND: the list of commands. With one: its usage, what it does and\n"
     "its options (the same as `partsim COMMAND --help`).\n",
     cmd_help},
};

static const int N_COMMANDS = (int)(sizeof COMMANDS / sizeof COMMANDS[0]);

static const cli_command *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (!strcmp(COMMANDS[i].name, name))
            return &COMMANDS[i];
    return NULL;
}

/* "unknown command 'rn'; did you mean 'run'?" */
static void print_unknown_command(const char *prefix, const char *name)
{
    suggest near;
    suggest_init(&near, name);
    for (int i = 0; i < N_COMMANDS; i++)
        suggest_offer(&near, COMMANDS[i].name);
    const char *best = suggest_result(&near);
    fprintf(stderr, "%s: unknown command '%s'%s%s%s\n", prefix, name,
            best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
}

const cli_command *cli_commands(int *n)
{
    *n = N_COMMANDS;
    return COMMANDS;
}

/* The text after the next `sep` of s (its end when there is none). */
static const char *after(const char *s, char sep)
{
    const char *p = strchr(s, sep);
    return p ? p + 1 : s + strlen(s);
}

int cli_command_options(const cli_command *c, cli_option_name *out, int max)
{
    int n = 0;
    /* a line "  -o, --output PATH  text" gives -o and --output, taking a
     * value (PATH); "  --cfg=... --log=...  text" gives --cfg= and --log= */
    for (const char *line = c->help; *line; line = after(line, '\n')) {
        if (strncmp(line, "  -", 3))
            continue;
        const char *p = line + 2;
        int first = n;
        bool value = false;
        while (*p == '-' && n < max) {
            size_t len = strcspn(p, " ,\n");
            const char *eq = memchr(p, '=', len);
            size_t keep = eq ? (size_t)(eq - p) + 1 : len;
            snprintf(out[n++].name, CLI_OPTION_MAX, "%.*s", (int)keep, p);
            p += len;
            if (!strncmp(p, ", ", 2))
                p += 2;
            else if (p[0] == ' ' && p[1] == '-')
                p += 1;
            else {
                value = p[0] == ' ' && p[1] && p[1] != ' ' && p[1] != '\n';
                break;
            }
        }
        for (int i = first; i < n; i++)
            out[i].takes_value = value;
    }
    if (n < max) {
        snprintf(out[n].name, CLI_OPTION_MAX, "--help");
        out[n++].takes_value = false;
    }
    return n;
}

static void print_usage(FILE *out)
{
    fprintf(out, "usage: partsim [--help] [--version] COMMAND [ARGS]\n");
}

static void print_help(FILE *out)
{
    fprintf(out,
            "partsim %s: simulator of CNN inference partitioned across a distributed\n"
            "embedded system (sensor accelerators, links, edge nodes).\n\n",
            PARTSIM_VERSION);
    print_usage(out);
    fprintf(out, "\ncommands:\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\nExit status: 0 success, 1 input error, 2 usage error.\n");
}

int cli_usage_error(const cli_command *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "partsim %s: ", c->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: partsim %s %s\n(see `partsim help %s`)\n", c->name, c->args,
            c->name);
    return CLI_EXIT_USAGE;
}

int cli_unknown_option(const cli_command *c, const char *arg)
{
    cli_option_name opts[64];
    int n = cli_command_options(c, opts, 64);
    char typed[CLI_OPTION_MAX];
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(arg, "="), arg); /* without "=value" */
    suggest near;
    suggest_init(&near, typed);
    for (int i = 0; i < n; i++) {
        opts[i].name[strcspn(opts[i].name, "=")] = '\0'; /* "--cfg=" */
        suggest_offer(&near, opts[i].name);
    }
    const char *best = suggest_result(&near);
    if (best)
        return cli_usage_error(c, "unknown option '%s'; did you mean '%s'?", arg, best);
    return cli_usage_error(c, "unknown option '%s'", arg);
}

int cli_fail(const ps_error *err)
{
    fprintf(stderr, "partsim: error: %s\n", err->msg[0] ? err->msg : error_kind(err->code));
    return CLI_EXIT_INPUT;
}

bool cli_option(int argc, char **argv, int *i, const char *name, const char **value,
                bool *missing)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);
    if (strncmp(arg, name, len) != 0)
        return false;
    if (arg[len] == '=') {
        *value = arg + len + 1;
        return true;
    }
    if (arg[len] != '\0')
        return false;
    if (*i + 1 >= argc) {
        *missing = true;
        return true;
    }
    *value = argv[++*i];
    return true;
}

const char *cli_command_line(int argc, char **argv, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "partsim");
    for (int i = 0; i < argc && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, " %s", argv[i]);
    return buf;
}

bool cli_parse_int(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int cli_shared_option(const cli_command *self, int argc, char **argv, int *i, int *bits,
                      table_format *format)
{
    const char *v = NULL;
    bool missing = false;
    if (bits && cli_option(argc, argv, i, "--bits", &v, &missing)) {
        long b;
        if (missing || !cli_parse_int(v, 1, 64, &b))
            return cli_usage_error(self, "--bits takes a whole number from 1 to 64");
        *bits = (int)b;
        return 1;
    }
    if (format && cli_option(argc, argv, i, "--format", &v, &missing)) {
        if (missing || table_format_parse(v, format))
            return cli_usage_error(self, "--format takes table, csv or json");
        return 1;
    }
    return 0;
}

static void print_command_help(const cli_command *c)
{
    printf("usage: partsim %s %s\n\n%s.\n\n%s", c->name, c->args, c->summary, c->help);
}

static int cmd_help(const cli_command *self, int argc, char **argv)
{
    (void)argv;
    if (argc < 2) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error(self, "takes at most one COMMAND");
    const cli_command *c = find_command(argv[1]);
    if (!c) {
        print_unknown_command("partsim help", argv[1]);
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    print_command_help(c);
    return CLI_EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        fprintf(stderr, "(see `partsim --help`)\n");
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("partsim %s\n", PARTSIM_VERSION);
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "__complete")) /* hidden: for cli/completion.bash */
        return cmd_complete(argc - 2, argv + 2);
    if (cmd[0] == '-') {
        fprintf(stderr, "partsim: unknown option '%s'\n", cmd);
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const cli_command *c = find_command(cmd);
    if (!c) {
        print_unknown_command("partsim", cmd);
        print_usage(stderr);
        fprintf(stderr, "(see `partsim --help` for the commands)\n");
        return CLI_EXIT_USAGE;
    }
    if (c->run != cmd_help)
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                print_command_help(c);
                return CLI_EXIT_OK;
            }
    return c->run(c, argc - 1, argv + 1);
}
