/* A graph node as the accelerator cost models see it: its kind, its
 * convolution shape in NeuPart's notation (Table I), element counts and
 * sparsity.  The problem, not the hardware and not the mapping. */
#ifndef PARTSIM_ACCEL_LAYER_H
#define PARTSIM_ACCEL_LAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "workloads/graph.h"
#include "workloads/sparsity.h"

typedef enum {
    LAYER_CONV,    /* Conv (grouped / depthwise included) */
    LAYER_FC,      /* Gemm / MatMul: a 1x1 convolution on a 1x1 map */
    LAYER_POOL,    /* MaxPool, AveragePool, global pools */
    LAYER_ELTWISE, /* Add, Mul, Concat-free element-wise math, BatchNorm, LRN, Softmax */
    LAYER_ACT,     /* Relu, Clip, Sigmoid, ...: one op per element */
    LAYER_LAYOUT,  /* Flatten, Reshape, Concat, Identity, Dropout, ...: no work */
    LAYER_OTHER    /* ops partsim does not cost on an accelerator */
} layer_kind;

/* NeuPart Table I, for one group of a (grouped) convolution. */
typedef struct {
    int64_t R, S;   /* filter height / width */
    int64_t H, W;   /* padded ifmap height / width */
    int64_t E, G;   /* ofmap height / width */
    int64_t C, F;   /* channels and filters per group */
    int64_t U, Ux;  /* stride along the height (U) and the width (Ux) */
    int64_t groups;
    /* where the real ifmap lies in the padded one: Hu x Wu from row pad_t,
     * column pad_l (0 x 0: no padding, the whole H x W), and the dilation */
    int64_t Hu, Wu, pad_t, pad_l;
    int64_t dil_y, dil_x;
} conv_shape;

/* Of the R S E G (filter tap, output pixel) pairs of one channel, the
 * fraction that reads the real ifmap rather than padding: the MACs a
 * zero-gating array can skip for padding alone (counted exactly, row and
 * column apart). */
double layer_conv_coverage(const conv_shape *c);
/* The fraction of the padded ifmap that is real data (Hu Wu / (H W)). */
double layer_conv_unpadded_fraction(const conv_shape *c);

typedef struct {
    int node;
    const char *name, *op;
    layer_kind kind;
    conv_shape conv;        /* LAYER_CONV, LAYER_FC */
    double macs;            /* per frame */
    double ops;             /* non-MAC datapath operations per frame */
    double in_elems;        /* activations read */
    double out_elems;       /* activations written */
    double param_elems;
    /* The data input as a C x H x W map, unpadded: a conv's ifmap; for an FC
     * layer the map its input vector was flattened from (Flatten / Reshape
     * of an N x C x H x W tensor), else C = the inputs and H = W = 1.  0 when
     * unknown (a layer built without a graph).  CNNergy's padding and its
     * FC mapping (accel/rs_cnnergy.h) read it. */
    int64_t in_c, in_h, in_w;
    double in_sparsity;     /* of the main data input */
    double out_sparsity;    /* of what it writes back: a conv / fc with a fused activation
                               writes the activation's output */
    double own_out_sparsity; /* of its own output tensor (CNNergy's s_of) */
    bool input_is_network_input; /* raw image: DRAM reads are not RLC compressed */
    bool fused;             /* activation applied on its producer's output: no DRAM trip */
} accel_layer;

/* Describe graph node `node`.  `sp` may be NULL (no sparsity). */
int layer_from_node(const graph *g, int node, const sparsity_table *sp,
                          accel_layer *out, ps_error *err);

const char *layer_kind_name(layer_kind k);

/* Does a non-MAC layer's operation need the multiplier?  Comparisons and
 * additions (pooling, ReLU, Add, Max, ...) use the MAC's adder only;
 * BatchNorm, Mul, LRN and Softmax need the multiplier too. */
bool layer_uses_multiplier(const accel_layer *l);

#endif
