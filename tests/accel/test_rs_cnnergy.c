/* CNNergy compatibility mode (accel/rs_cnnergy.h) against the CNNergy
 * MATLAB code's own outputs for the Caffe AlexNet (tests/data/cnnergy/,
 * README.md there): 16 and 8 bit; batch 1 (_n1), the model's own auto batch
 * (_nauto) and the authors' per-layer ladder 1 2 6 6 6 18 18 18.  Every row
 * (C1..C5, FC1..FC3) and every numeric column the model computes agrees to
 * 1e-9 relative (1e-9 absolute where the reference is below 1e-9): the layer
 * as the model sees it, the schedule, pass counts, N, latency, every energy
 * component, the accesses, GLB kB, d_rlc_bits and the code's MB totals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "accel/rs_cnnergy.h"
#include "base/csv.h"
#include "platforms/archfile.h"
#include "tests/harness.h"
#include "workloads/sparsity.h"
#include "workloads/workload.h"

#define TOL 1e-9
#define PJ 1e12              /* joules -> the CSVs' picojoules */
#define MIB (1024.0 * 1024.0) /* the CSVs' MB */
#define MAX_COLS 96

/* the authors' hard-coded ladder (alexnet_16bit.csv, alexnet_8bit.csv) */
static const int64_t LADDER[] = {1, 2, 6, 6, 6, 18, 18, 18};

typedef struct {
    const char *file;
    int bits;
    int kind; /* 0: batch 1, 1: auto, 2: the ladder */
} reference;

static const reference REFS[] = {
    {"alexnet_16bit_n1.csv", 16, 0}, {"alexnet_16bit_nauto.csv", 16, 1},
    {"alexnet_16bit.csv", 16, 2},    {"alexnet_8bit_n1.csv", 8, 0},
    {"alexnet_8bit_nauto.csv", 8, 1}, {"alexnet_8bit.csv", 8, 2},
};

typedef struct {
    const char *col;
    double v;
} named;

/* The model's value of every numeric column of the reference CSVs, in
 * their units (pJ, kB, MB); `cum_pJ` is the running sum E_L_cum. */
static int columns(const rs_cnnergy_result *r, double cum_pJ, named *out)
{
    const rs_cnnergy_energy *e = &r->e;
    const rs_cnnergy_access *a = &r->acc;
    const named v[] = {
        {"R", r->R}, {"S", r->R}, {"C", r->C}, {"M", r->M}, {"H", r->H}, {"W", r->H},
        {"H_unpad", r->H_unpad}, {"pad", (r->H - r->H_unpad) / 2}, {"E", r->E}, {"F", r->E},
        {"U", r->U}, {"G", (double)r->groups}, {"macs", r->macs}, {"nz_macs", r->nz_macs},
        {"sparsity_if_padded", r->s_if}, {"sparsity_if_unpadded", r->s_if_unpadded},
        {"sparsity_of", r->s_of}, {"N_used", (double)r->N},
        {"N_first_sim", (double)r->N_first_sim}, {"n_max", r->n_max},
        {"sets_per_pass", r->S_p}, {"ch_per_set", r->z_s}, {"filt_total_per_set", r->F_t},
        {"filt_per_set", r->f_s}, {"z_i_ch_per_pass", r->z_i}, {"f_i_filt_per_pass", r->f_i},
        {"z_flag", r->z_flag}, {"X_i", r->X_i}, {"y_i", r->y_i}, {"y_o", r->y_o},
        {"X_o", r->X_o}, {"Y_o", r->Y_o}, {"glb_ifmap_kB", r->glb_ifmap_kB},
        {"glb_psum_kB", r->glb_psum_kB}, {"glb_total_kB", r->glb_ifmap_kB + r->glb_psum_kB},
        {"y_pass", r->y_pass}, {"z_pass", r->z_pass}, {"filter_pass", r->filter_pass},
        {"full_y_pass", r->full_y_pass}, {"x_pass", r->x_pass},
        {"inter_pe_height", r->inter_pe_height}, {"latency_s", r->latency_s},
        {"e_comp_pJ", e->comp * PJ}, {"e_rf_pJ", e->rf * PJ},
        {"e_interpe_pJ", e->interpe * PJ}, {"e_glb_filter_pJ", e->glb_filter * PJ},
        {"e_glb_ifmap_pJ", e->glb_ifmap * PJ}, {"e_glb_psum_pJ", e->glb_psum * PJ},
        {"e_glb_pJ", e->glb * PJ}, {"e_dram_filter_pJ", e->dram_filter * PJ},
        {"e_dram_ifmap_pJ", e->dram_ifmap * PJ}, {"e_dram_ofmap_pJ", e->dram_ofmap * PJ},
        {"e_dram_pJ", e->dram * PJ}, {"e_clock_pJ", e->clock * PJ},
        {"e_ctrl_other_pJ", e->ctrl_other * PJ}, {"e_ctrl_pJ", e->ctrl * PJ},
        {"e_total_noctrl_pJ", e->total_noctrl * PJ}, {"e_total_pJ", e->total * PJ},
        {"e_total_first_sim_pJ", r->e_total_first_sim * PJ}, {"E_L_cum_pJ", cum_pJ},
        {"d_rlc_bits", r->d_rlc_bits}, {"acc_rf", a->rf}, {"acc_interpe", a->interpe},
        {"acc_glb_filter", a->glb_filter}, {"acc_glb_ifmap", a->glb_ifmap},
        {"acc_glb_psum", a->glb_psum}, {"acc_dram_filter", a->dram_filter},
        {"acc_dram_ifmap", a->dram_ifmap}, {"acc_dram_ofmap", a->dram_ofmap},
        {"rf_MB", r->rf_bytes / MIB}, {"glb_MB", r->glb_bytes / MIB},
        {"dram_MB", r->dram_bytes / MIB},
    };
    int n = (int)(sizeof v / sizeof v[0]);
    memcpy(out, v, sizeof v);
    return n;
}

typedef struct {
    graph *g;
    sparsity_table sp;
    accel_arch arch;
    int n;                  /* conv / FC layers */
    accel_layer layers[16]; /* in schedule order */
} alexnet;

static void data_path(const char *rel, char *buf, size_t size)
{
    const char *src = getenv("PARTSIM_SOURCE_DIR");
    snprintf(buf, size, "%s/tests/data/%s", src ? src : ".", rel);
}

static bool load_alexnet(alexnet *x)
{
    char model[1024], sparsity[1024];
    data_path("alexnet_caffe.onnx", model, sizeof model);
    data_path("cnnergy/alexnet_caffe_sparsity.csv", sparsity, sizeof sparsity);
    ps_error err = {0};
    memset(x, 0, sizeof *x);
    x->g = workload_load(model, &err);
    if (!x->g || sparsity_defaults(x->g, &x->sp, &err) ||
        sparsity_load_csv(x->g, sparsity, &x->sp, &err) ||
        archfile_load("eyeriss-v1-cnnergy", &x->arch, &err)) {
        fprintf(stderr, "%s:%d: loading the Caffe AlexNet: %s\n", __FILE__, __LINE__, err.msg);
        harness_failed_checks++;
        sparsity_free(&x->sp);
        graph_free(x->g);
        return false;
    }
    for (int k = 0; k < x->g->n_nodes && x->n < 16; k++) {
        int node = x->g->order[k];
        if (accel_is_conv_or_fc(x->g, node))
            layer_from_node(x->g, node, &x->sp, &x->layers[x->n++], &err);
    }
    return true;
}

static void free_alexnet(alexnet *x)
{
    sparsity_free(&x->sp);
    graph_free(x->g);
}

/* "C3" -> "conv3", "FC2" -> "fc7": the Caffe AlexNet's node names */
static void node_name(const char *layer, char *buf, size_t size)
{
    if (layer[0] == 'C')
        snprintf(buf, size, "conv%s", layer + 1);
    else
        snprintf(buf, size, "fc%d", 5 + atoi(layer + 2));
}

static long compared;
static double worst_rel;

static void compare(const char *file, const char *layer, const char *col, double got,
                    double want)
{
    double d = fabs(got - want);
    compared++;
    if (fabs(want) >= TOL)
        worst_rel = fmax(worst_rel, d / fabs(want));
    if (d > TOL * fabs(want) && !(fabs(want) < TOL && d <= TOL)) {
        fprintf(stderr, "%s %s %s: %.17g, expected %.17g (rel. %.3g)\n", file, layer, col, got,
                want, d / fabs(want));
        harness_failed_checks++;
    }
}

/* One reference file: every row, every numeric column. */
static void check_file(const alexnet *x, const reference *ref)
{
    char path[1024];
    char rel[128];
    snprintf(rel, sizeof rel, "cnnergy/%s", ref->file);
    data_path(rel, path, sizeof path);
    named cols[MAX_COLS];
    rs_cnnergy_result none = {0};
    int n = columns(&none, 0, cols);
    const char *required[MAX_COLS + 8];
    const char *strings[] = {"idx", "layer", "block", "type", "rules"};
    int ns = (int)(sizeof strings / sizeof strings[0]);
    for (int i = 0; i < ns; i++)
        required[i] = strings[i];
    for (int i = 0; i < n; i++)
        required[ns + i] = cols[i].col;
    required[ns + n] = NULL;
    int at[MAX_COLS + 8];
    csv_reader *r;
    ps_error err = {0};
    CHECK_INT(csv_open(path, &r, &err), 0);
    if (err.code) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_INT(csv_header(r, required, NULL, NULL, at, &err), 0);
    csv_row row;
    int k = 0;
    double cum = 0;
    while (!err.code && csv_next(r, &row, &err) == 1 && k < x->n) {
        const char *layer = row.field[at[1]];
        char name[32];
        node_name(layer, name, sizeof name);
        const accel_layer *l = &x->layers[k];
        CHECK(!strcmp(l->name, name));
        CHECK(!strcmp(row.field[at[3]], l->kind == LAYER_CONV ? "conv" : "fc"));
        int64_t batch = ref->kind == 0 ? 1 : ref->kind == 1 ? 0 : LADDER[k];
        rs_cnnergy_result res;
        CHECK_INT(rs_cnnergy_layer(&x->arch, l, ref->bits, batch, &res, &err), 0);
        CHECK_INT(res.rules, 0); /* no exception rule fires on AlexNet: `rules` is empty */
        CHECK(!row.field[at[4]][0]);
        cum += res.e.total * PJ;
        named got[MAX_COLS];
        int m = columns(&res, cum, got);
        for (int i = 0; i < m; i++) {
            double want;
            CHECK_INT(csv_double(r, &row, at[ns + i], NULL, &want, &err), 0);
            compare(ref->file, layer, got[i].col, got[i].v, want);
        }
        k++;
    }
    CHECK_INT(k, 8);
    CHECK_INT(err.code, 0);
    csv_close(r);
}

TEST(test_every_row_and_column_of_the_six_alexnet_references_to_1e_9)
{
    alexnet x;
    if (!load_alexnet(&x))
        return;
    CHECK_INT(x.n, 8);
    for (size_t f = 0; f < sizeof REFS / sizeof REFS[0]; f++)
        check_file(&x, &REFS[f]);
    printf("%ld values compared, largest relative difference %.3g\n", compared, worst_rel);
    CHECK(compared == 6L * 8 * 72);
    free_alexnet(&x);
}

/* The normal outputs (layer_cost through accel_network_cost, with the
 * ladder as a per-node batch) carry the model's totals, parts, accesses and
 * latency; pooling, ReLU and LRN cost nothing. */
TEST(test_network_cost_carries_the_models_energy_and_latency)
{
    alexnet x;
    if (!load_alexnet(&x))
        return;
    int64_t *node_batch = calloc((size_t)x.g->n_nodes, sizeof *node_batch);
    ps_error err = {0};
    CHECK_INT(accel_batch_from_list(x.g, LADDER, 8, node_batch, &err), 0);
    accel_opts o = {.batch = 1, .node_batch = node_batch};
    accel_network net;
    CHECK_INT(accel_network_cost(&x.arch, NULL, x.g, &x.sp, &o, &net, &err), 0);
    int k = 0;
    for (int i = 0; i < net.n; i++) {
        const accel_layer *l = &net.layers[i];
        const accel_result *res = &net.results[i];
        const layer_cost *c = &res->cost;
        if (l->kind != LAYER_CONV && l->kind != LAYER_FC) {
            CHECK(c->energy_j == 0 && c->latency_s == 0 && c->cycles == 0);
            continue;
        }
        rs_cnnergy_result d;
        CHECK_INT(rs_cnnergy_layer(&x.arch, l, 16, LADDER[k], &d, &err), 0);
        CHECK_INT(res->batch, LADDER[k]);
        CHECK_NEAR(c->energy_j, d.e.total, 1e-12);
        CHECK_NEAR(c->energy[PART_MAC], d.e.comp, 1e-12);
        CHECK_NEAR(c->energy[PART_RF], d.e.rf, 1e-12);
        CHECK_NEAR(c->energy[PART_INTERPE], d.e.interpe, 1e-12);
        CHECK_NEAR(c->energy[PART_GLB], d.e.glb, 1e-12);
        CHECK_NEAR(c->energy[PART_DRAM], d.e.dram, 1e-12);
        CHECK_NEAR(c->energy[PART_CLOCK], d.e.clock, 1e-12);
        CHECK_NEAR(c->energy[PART_CTRL], d.e.ctrl_other, 1e-12);
        CHECK(c->energy[PART_STATIC] == 0);
        CHECK_NEAR(c->latency_s, d.latency_s, 1e-12);
        CHECK_NEAR(c->cycles, d.latency_s * 200e6, 1e-12);
        double rf = c->accesses[MEM_RF][DATA_IFMAP] + c->accesses[MEM_RF][DATA_FILTER] +
                    c->accesses[MEM_RF][DATA_PSUM];
        CHECK_NEAR(rf, d.acc.rf, 1e-12);
        CHECK_NEAR(c->accesses[MEM_DRAM][DATA_IFMAP], d.acc.dram_ifmap, 1e-12);
        CHECK_NEAR(c->accesses[MEM_DRAM][DATA_PSUM], d.acc.dram_ofmap, 1e-12);
        CHECK_NEAR(c->dram_bytes, d.dram_bytes, 1e-12);
        k++;
    }
    CHECK_INT(k, 8);
    /* conv1's fractional mapping, as the table shows it */
    CHECK_STR_CONTAINS(net.results[0].mapping, "Y_o=27.5");
    accel_network_free(&net);
    free(node_batch);
    free_alexnet(&x);
}

TEST(test_batch_list_errors_name_the_count_and_the_layers)
{
    alexnet x;
    if (!load_alexnet(&x))
        return;
    int64_t node_batch[64];
    ps_error err = {0};
    CHECK_INT(accel_batch_from_list(x.g, LADDER, 7, node_batch, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "has 7 values, the model has 8 conv / FC layers (conv1, conv2");
    const int64_t bad[] = {1, 2, 0, 6, 6, 18, 18, 18};
    CHECK_INT(accel_batch_from_list(x.g, bad, 8, node_batch, &err), PS_ERR_INPUT);
    CHECK_STR_CONTAINS(err.msg, "value 3 (layer 'conv3') is 0");
    free_alexnet(&x);
}

TEST(test_layers_cnnergy_cannot_model_are_errors)
{
    alexnet x;
    if (!load_alexnet(&x))
        return;
    ps_error err = {0};
    rs_cnnergy_result r;
    CHECK_INT(rs_cnnergy_layer(&x.arch, &x.layers[0], 4, 1, &r, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "layer 'conv1' (Conv): CNNergy models 8- and 16-bit data only");
    accel_layer wide = x.layers[0];
    wide.conv.S = 5;
    CHECK_INT(rs_cnnergy_layer(&x.arch, &wide, 16, 1, &r, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "square layers only");
    accel_layer tall = x.layers[0];
    tall.conv.R = tall.conv.S = 13; /* more filter rows than the 12 PE rows */
    CHECK_INT(rs_cnnergy_layer(&x.arch, &tall, 16, 1, &r, &err), PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "at most the PE rows (12)");
    accel_opts o = {.batch = 1, .search = true};
    accel_result res;
    CHECK_INT(accel_layer_cost(&x.arch, NULL, &x.layers[0], &o, &res, &err),
              PS_ERR_UNSUPPORTED);
    CHECK_STR_CONTAINS(err.msg, "mapping search");
    free_alexnet(&x);
}

TEST_MAIN(T(test_every_row_and_column_of_the_six_alexnet_references_to_1e_9),
          T(test_network_cost_carries_the_models_energy_and_latency),
          T(test_batch_list_errors_name_the_count_and_the_layers),
          T(test_layers_cnnergy_cannot_model_are_errors))
