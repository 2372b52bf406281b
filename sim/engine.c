/* SimGrid start-up, platform loading and bandwidth changes (sim/engine.h). */
#include "sim/engine.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h> /* simgrid/link.h is not self-contained */
#include <simgrid/engine.h>
#include <simgrid/link.h>
#include <xbt/config.h>
#include <xbt/log.h>

/* Actor stacks.  SimGrid's default (8 MiB of stack and a guard page per
 * actor) stops near 30,000 actors: the guard page splits every stack into
 * memory mappings of their own, and Linux allows 65,530 per process.
 * Without guard pages SimGrid takes a stack with calloc; glibc serves
 * requests of 128 KiB or more with a fresh anonymous mapping, which costs
 * no memory until touched, and the kernel merges adjacent mappings into one.
 * But glibc moves that threshold up as soon as a large block is freed, and
 * stacks then come from the heap, where calloc clears (touches) all of
 * them: 8 MiB per actor.  So the threshold is pinned at 128 KiB and the
 * stacks are 256 KiB: 10^5 actors take about one mapping and only the
 * pages they use (a partsim actor needs about 8 KiB: the demo fails with 6
 * and runs with 8, trace writing through HDF5 and zlib included, so 256 KiB
 * is a 32x margin).  --cfg=contexts/stack-size:KiB or guard-size:pages on
 * the command line still win. */
#define ENGINE_STACK_KIB 256
#define ENGINE_MMAP_THRESHOLD (128 * 1024)

/* Whether the command line sets SimGrid option `name` (--cfg=name:value). */
static bool cfg_given(int argc, char **argv, const char *name)
{
    size_t len = strlen(name);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--cfg=", 6) && !strncmp(argv[i] + 6, name, len) &&
            argv[i][6 + len] == ':')
            return true;
    return false;
}

void engine_init(int *argc, char **argv)
{
    bool stack_given = cfg_given(*argc, argv, "contexts/stack-size");
    bool guard_given = cfg_given(*argc, argv, "contexts/guard-size");
    /* Before simgrid_init, or the configuration lines are already printed. */
    xbt_log_control_set("xbt_cfg.thres:warning");
    simgrid_init(argc, argv); /* declares the options, then parses --cfg= */
    if (!stack_given)
        sg_cfg_set_int("contexts/stack-size", ENGINE_STACK_KIB);
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, ENGINE_MMAP_THRESHOLD);
#endif
    if (!guard_given)
        sg_cfg_set_int("contexts/guard-size", 0);
    sg_cfg_set_string("network/model", "CM02");
    sg_cfg_set_boolean("network/crosstraffic", "no");
    sg_cfg_set_double("network/TCP-gamma", 0.0);
}

int engine_load_platform(const topology *t, const char *path, ps_error *err)
{
    static bool loaded; /* SimGrid's own limit: one platform per process */
    if (loaded)
        return error_set(err, PS_ERR_UNSUPPORTED,
                         "platform %s: SimGrid loads one platform per process, and one is "
                         "already loaded",
                         path);
    int rc = topology_write_platform(t, path, err);
    if (rc)
        return rc;
    simgrid_load_platform(path);
    loaded = true;
    return 0;
}

/* sg_link_by_name aborts on an unknown name, so look the name up first. */
static sg_link_t find_sg_link(const char *name)
{
    size_t n = sg_link_count();
    sg_link_t *all = sg_link_list();
    sg_link_t found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (!strcmp(sg_link_get_name(all[i]), name))
            found = all[i];
    free(all);
    return found;
}

int engine_set_link_bandwidth(const char *name, double bandwidth_Bps, ps_error *err)
{
    if (!(bandwidth_Bps > 0))
        return error_set(err, PS_ERR_INPUT, "link '%s': bandwidth %g B/s, expected > 0", name,
                         bandwidth_Bps);
    sg_link_t shared = find_sg_link(name);
    if (shared) {
        sg_link_set_bandwidth(shared, bandwidth_Bps);
        return 0;
    }
    char up[TOPOLOGY_NAME_MAX + 8], down[TOPOLOGY_NAME_MAX + 8];
    snprintf(up, sizeof up, "%s_UP", name);
    snprintf(down, sizeof down, "%s_DOWN", name);
    sg_link_t lu = find_sg_link(up), ld = find_sg_link(down);
    if (!lu || !ld)
        return error_set(err, PS_ERR_INPUT, "no link '%s' in the loaded platform", name);
    sg_link_set_bandwidth(lu, bandwidth_Bps);
    sg_link_set_bandwidth(ld, bandwidth_Bps);
    return 0;
}
