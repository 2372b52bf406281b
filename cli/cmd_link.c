/* `partsim link TYPE --bytes N`: the link calculator (one transfer over a
 * link type: bytes on the wire, time, energy, utilisation at a frame rate,
 * feasibility). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "net/link.h"
#include "platforms/linkfile.h"
#include "platforms/units.h"
#include "cli/cli.h"
#include "cli/report.h"

int cmd_link(const cli_command *self, int argc, char **argv)
{
    const char *type = NULL;
    link_opts o = {0};
    double bytes = -1;
    report_format format = REPORT_TABLE;
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
            return cli_usage_error(self, "unknown option '%s'", argv[i]);
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
    switch (format) {
    case REPORT_TABLE:
        printf("link %s (%s, %.6g Mb/s), framing %s, %.6g m%s%s\n", t.name,
               link_kind_name(t.kind), t.rate_bps / 1e6, framing, o.length_m,
               o.ip_udp ? ", IPv4+UDP" : "", o.eee ? ", 802.3az EEE" : "");
        printf("payload      %.0f B\n", x.payload_bytes);
        printf("on the wire  %.0f B in %lld frame(s) (%.2f %% overhead)\n", x.wire_bytes,
               (long long)x.frames,
               x.payload_bytes > 0 ? 100.0 * (x.wire_bytes / x.payload_bytes - 1) : 0.0);
        printf("time         %.9g s (wire delay %.3g s)\n", x.time_s, x.wire_delay_s);
        printf("energy       %.6g J (sending %.6g J, idle %.6g J)\n", x.energy_j,
               x.active_energy_j, x.idle_energy_j);
        printf("power        %.6g W\n", x.power_w);
        if (o.fps > 0)
            printf("at %.6g fps   utilisation %.2f %%: %s\n", o.fps, 100 * x.utilization,
                   x.feasible ? "feasible" : "INFEASIBLE (the link cannot keep up)");
        break;
    case REPORT_CSV:
        printf("type,kind,framing,payload_bytes,wire_bytes,frames,time_s,wire_delay_s,energy_j,"
               "active_energy_j,idle_energy_j,power_w,fps,utilization,feasible\n");
        printf("%s,%s,%s,%.17g,%.17g,%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%s\n",
               t.name, link_kind_name(t.kind), framing, x.payload_bytes, x.wire_bytes,
               (long long)x.frames, x.time_s, x.wire_delay_s, x.energy_j, x.active_energy_j,
               x.idle_energy_j, x.power_w, o.fps, x.utilization, x.feasible ? "true" : "false");
        break;
    case REPORT_JSON:
        printf("{\"type\": ");
        report_json_string(stdout, t.name);
        printf(", \"kind\": \"%s\", \"framing\": \"%s\", \"rate_bps\": %.17g, \"length_m\": "
               "%.17g, \"payload_bytes\": %.17g, \"wire_bytes\": %.17g, \"frames\": %lld, "
               "\"time_s\": %.17g, \"wire_delay_s\": %.17g, \"energy_j\": %.17g, "
               "\"active_energy_j\": %.17g, \"idle_energy_j\": %.17g, \"power_w\": %.17g, "
               "\"fps\": %.17g, \"utilization\": %.17g, \"feasible\": %s}\n",
               link_kind_name(t.kind), framing, t.rate_bps, o.length_m, x.payload_bytes,
               x.wire_bytes, (long long)x.frames, x.time_s, x.wire_delay_s, x.energy_j,
               x.active_energy_j, x.idle_energy_j, x.power_w, o.fps, x.utilization,
               x.feasible ? "true" : "false");
        break;
    }
    return CLI_EXIT_OK;
}
