/* `partsim link TYPE --bytes N`: the link calculator (one transfer over a
 * link type: bytes on the wire, time, energy, utilisation at a frame rate,
 * feasibility). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/table.h"
#include "net/link.h"
#include "platforms/linkfile.h"
#include "platforms/units.h"
#include "cli/cli.h"

int cmd_link(const cli_command *self, int argc, char **argv)
{
    const char *type = NULL;
    link_opts o = {0};
    double bytes = -1;
    table_format format = TABLE_TEXT;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        bool missing = false;
        int shared;
        char why[256];
        if (cli_option(argc, argv, &i, "--bytes", &v, &missing)) {
            /* a plain number is bytes; units are welcome ("1.5 MB", "100 KiB") */
            if (missing || (units_parse(v, UNIT_NONE, &bytes, why, sizeof why) &&
                            units_parse(v, UNIT_BYTES, &bytes, why, sizeof why)) ||
                !(bytes >= 0) || bytes > 1e15)
                return cli_usage_error(self, "--bytes takes a size in bytes, e.g. 200704 or "
                                       "'196 KiB'");
        } else if (cli_option(argc, argv, &i, "--length", &v, &missing)) {
            if (missing || units_parse(v, UNIT_METERS, &o.length_m, why, sizeof why) ||
                o.length_m < 0)
                return cli_usage_error(self, "--length takes %s", units_expected(UNIT_METERS));
        } else if (cli_option(argc, argv, &i, "--fps", &v, &missing)) {
            if (missing || (units_parse(v, UNIT_NONE, &o.fps, why, sizeof why) &&
                            units_parse(v, UNIT_FPS, &o.fps, why, sizeof why)) ||
                !(o.fps > 0))
                return cli_usage_error(self, "--fps takes a positive frame rate, e.g. 30");
        } else if (cli_option(argc, argv, &i, "--framing", &v, &missing)) {
            if (missing || (strcmp(v, "ieee") && strcmp(v, "cnnparted")))
                return cli_usage_error(self, "--framing takes ieee or cnnparted");
            o.framing = strcmp(v, "ieee") ? FRAMING_CNNPARTED : FRAMING_IEEE;
        } else if ((shared = cli_shared_option(self, argc, argv, &i, NULL, &format))) {
            if (shared != 1)
                return shared;
        } else if (!strcmp(argv[i], "--eee")) {
            o.eee = true;
        } else if (!strcmp(argv[i], "--ip-udp")) {
            o.ip_udp = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown_option(self, argv[i]);
        } else if (!type) {
            type = argv[i];
        } else {
            return cli_usage_error(self, "one TYPE only ('%s' is extra)", argv[i]);
        }
    }
    if (!type)
        return cli_usage_error(self, "TYPE is missing");
    if (bytes < 0)
        return cli_usage_error(self, "--bytes is missing");
    ps_error err = {0};
    link_type t;
    link_transfer x;
    if (linkfile_load(type, &t, &err) || link_transfer_cost(&t, &o, bytes, &x, &err))
        return cli_fail(&err);
    const char *framing = t.kind != LINK_ETHERNET ? "-"
                          : o.framing == FRAMING_CNNPARTED ? "cnnparted" : "ieee";
    static const table_column cols[] = {
        {"type", TABLE_STR, NULL, NULL, 64, 0},
        {"kind", TABLE_STR, NULL, NULL, 16, 0},
        {"framing", TABLE_STR, NULL, NULL, 16, 0},
        {"rate_bps", TABLE_FLOAT, "bit/s", NULL, 0, 0},
        {"length_m", TABLE_FLOAT, "m", NULL, 0, 0},
        {"ip_udp", TABLE_BOOL, NULL, NULL, 0, 0},
        {"eee", TABLE_BOOL, NULL, NULL, 0, 0},
        {"payload_bytes", TABLE_FLOAT, "B", "%.0f", 0, 0},
        {"wire_bytes", TABLE_FLOAT, "B", "%.0f", 0, 0},
        {"frames", TABLE_INT, NULL, NULL, 0, 0},
        {"time_s", TABLE_FLOAT, "s", "%.9g", 0, 0},
        {"wire_delay_s", TABLE_FLOAT, "s", NULL, 0, 0},
        {"energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"active_energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"idle_energy_j", TABLE_FLOAT, "J", NULL, 0, 0},
        {"power_w", TABLE_FLOAT, "W", NULL, 0, 0},
        {"fps", TABLE_FLOAT, "1/s", NULL, 0, 0},
        {"utilization", TABLE_FLOAT, "1", NULL, 0, 0},
        {"feasible", TABLE_BOOL, NULL, NULL, 0, 0},
    };
    const table_value row[] = {
        {.s = t.name}, {.s = link_kind_name(t.kind)}, {.s = framing}, {.f = t.rate_bps},
        {.f = o.length_m}, {.i = o.ip_udp}, {.i = o.eee}, {.f = x.payload_bytes},
        {.f = x.wire_bytes}, {.i = x.frames}, {.f = x.time_s}, {.f = x.wire_delay_s},
        {.f = x.energy_j}, {.f = x.active_energy_j}, {.f = x.idle_energy_j}, {.f = x.power_w},
        {.f = o.fps}, {.f = x.utilization}, {.i = x.feasible},
    };
    table_spec spec;
    if (table_spec_init(&spec, "link", &err) ||
        table_spec_add(&spec, cols, (int)(sizeof cols / sizeof cols[0]), &err)) {
        table_spec_free(&spec);
        return cli_fail(&err);
    }
    json_writer w;
    json_init(&w, stdout, 1);
    switch (format) {
    case TABLE_TEXT:
        printf("link %s (%s, %.6g Mb/s), framing %s, %.6g m%s%s: %.2f %% overhead%s\n", t.name,
               link_kind_name(t.kind), t.rate_bps / 1e6, framing, o.length_m,
               o.ip_udp ? ", IPv4+UDP" : "", o.eee ? ", 802.3az EEE" : "",
               x.payload_bytes > 0 ? 100.0 * (x.wire_bytes / x.payload_bytes - 1) : 0.0,
               o.fps > 0 ? (x.feasible ? ", feasible at the frame rate"
                                       : ", INFEASIBLE: the link cannot keep up")
                         : "");
        table_print_record(stdout, &spec, row);
        break;
    case TABLE_CSV: {
        table_out *out = table_out_begin(&spec, format, stdout, NULL, &err);
        if (!out || table_out_row(out, row, &err) || table_out_end(out, &err)) {
            table_spec_free(&spec);
            return cli_fail(&err);
        }
        break;
    }
    case TABLE_JSON:
        table_json_object(&w, &spec, row);
        break;
    }
    table_spec_free(&spec);
    return CLI_EXIT_OK;
}
