/* Validation against Eyeriss's published AlexNet result (Chen et al., JSSC
 * 2017, Table V): CONV1-CONV5 of the Caffe AlexNet (227x227 input, grouped
 * CONV2 / CONV4 / CONV5), batch 4, 200 MHz: 115.3 ms per batch (34.7
 * frames/s) at 278 mW chip power (DRAM excluded).  The eyeriss-v1 preset,
 * the input sparsity Eyeriss measured per layer (tests/data/
 * alexnet_caffe_eyeriss_sparsity.csv) and NeuPart's model must land within
 * 15 % on frame rate and 25 % on chip power.  docs/VALIDATION.md records the
 * per-layer numbers this test prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "platforms/archfile.h"
#include "tests/harness.h"
#include "workloads/sparsity.h"
#include "workloads/workload.h"

/* JSSC 2017 Table V, per layer at batch 4: latency (ms) and power (mW) */
static const struct {
    const char *layer;
    double latency_ms, power_mw;
} EYERISS[] = {{"conv1", 20.9, 332}, {"conv2", 41.9, 288}, {"conv3", 23.6, 266},
               {"conv4", 18.4, 235}, {"conv5", 10.5, 236}};

TEST(test_alexnet_conv_layers_match_eyeriss_within_15_and_25_percent)
{
    const char *src = getenv("PARTSIM_SOURCE_DIR");
    char model[1024], sparsity[1024];
    snprintf(model, sizeof model, "%s/tests/data/alexnet_caffe.onnx", src ? src : ".");
    snprintf(sparsity, sizeof sparsity, "%s/tests/data/alexnet_caffe_eyeriss_sparsity.csv",
             src ? src : ".");
    ps_error err = {0};
    accel_arch a;
    CHECK_INT(archfile_load("eyeriss-v1", &a, &err), 0);
    graph *g = workload_load(model, &err);
    CHECK(g != NULL);
    if (!g) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    sparsity_table sp;
    CHECK_INT(sparsity_defaults(g, &sp, &err), 0);
    CHECK_INT(sparsity_load_csv(g, sparsity, &sp, &err), 0);
    accel_opts o = {.batch = 4};
    accel_network net;
    CHECK_INT(accel_network_cost(&a, NULL, g, &sp, &o, &net, &err), 0);
    double latency = 0, chip = 0, meas_latency = 0;
    int convs = 0;
    printf("layer   model ms/batch  Eyeriss ms  model mW  Eyeriss mW  mapping\n");
    for (int k = 0; k < net.n; k++) {
        if (strcmp(net.layers[k].op, "Conv"))
            continue;
        const layer_cost *c = &net.results[k].cost;
        double on_chip = c->energy_j - c->energy[PART_DRAM];
        printf("%-6s %14.2f %11.1f %9.0f %11.0f  %s\n", net.layers[k].name,
               4e3 * c->latency_s, EYERISS[convs].latency_ms, 1e3 * on_chip / c->latency_s,
               EYERISS[convs].power_mw, net.results[k].mapping);
        CHECK(!strcmp(net.layers[k].name, EYERISS[convs].layer));
        latency += c->latency_s;
        chip += on_chip;
        meas_latency += EYERISS[convs].latency_ms * 1e-3 / 4;
        convs++;
    }
    CHECK_INT(convs, 5);
    double fps = 1.0 / latency, power = chip / latency;
    printf("frame rate %.2f frames/s (Eyeriss 34.7), chip power %.1f mW (Eyeriss 278)\n", fps,
           power * 1e3);
    CHECK_NEAR(1.0 / meas_latency, 34.7, 0.002); /* the table's own sum: 4 / 115.3 ms */
    CHECK_NEAR(fps, 34.7, 0.15);
    CHECK_NEAR(power, 0.278, 0.25);
    accel_network_free(&net);
    sparsity_free(&sp);
    graph_free(g);
}

TEST_MAIN(T(test_alexnet_conv_layers_match_eyeriss_within_15_and_25_percent))
