/* Row-stationary mapping: the computation scheduling parameters of NeuPart
 * Table II for one convolution (group) on one row-stationary architecture,
 * chosen by CNNergy's rules (NeuPart Sec. IV-C, eqs. (5)-(12) and the
 * exception rules of Sec. IV-C.4).  A mapping is a value: the hardware is in
 * accel/arch.h, the problem in accel/layer.h, the cost in accel/rowstat.h. */
#ifndef PARTSIM_ACCEL_RS_MAPPING_H
#define PARTSIM_ACCEL_RS_MAPPING_H

#include <stdint.h>

#include "accel/arch.h"
#include "accel/layer.h"
#include "base/error.h"

/* Exception rules that fired (NeuPart Sec. IV-C.4, and partsim's own). */
enum {
    RS_EXC_FEW_CHANNELS = 1u << 0,  /* C < z_i: all channels in a pass, more filters */
    RS_EXC_FEW_FILTERS = 1u << 1,   /* F < f_i: f_i reduced */
    RS_EXC_PSUM_RF = 1u << 2,       /* P_s < f_i: f_i reduced */
    RS_EXC_POINTWISE = 1u << 3,     /* R = S = 1: reduced z_i, increased f_i */
    RS_EXC_GLB_SHRINK = 1u << 4,    /* N = 0 at full width/height: X_i, Y_o (then f_i, z_i) reduced */
    RS_EXC_TALL_FILTER = 1u << 5,   /* R > J: filter rows folded over passes (partsim) */
    RS_EXC_WIDE_FILTER = 1u << 6,   /* S > I_s: ifmap row streamed, one channel per set (partsim) */
    RS_EXC_GROUP_PARALLEL = 1u << 7 /* idle sets run other groups of a grouped conv (partsim) */
};

typedef struct {
    /* NeuPart Table II */
    int64_t f_i;       /* filters processed in a pass (all sets) */
    int64_t z_i;       /* ifmap / filter channels processed in a pass */
    int64_t y_i, y_o;  /* ifmap / ofmap rows in a pass */
    int64_t X_i, X_o;  /* ifmap / ofmap width in a pass */
    int64_t Y_i, Y_o;  /* ifmap / ofmap height before a write-back to DRAM */
    int64_t N;         /* images per GLB fill, eq. (11) */
    /* partsim: filters whose psums the GLB holds (Eyeriss's m, [JSSC17]
     * Table III): the ifmap tile is read from DRAM once per m filters and
     * from the GLB once per f_i; a multiple of f_i up to F (0: f_i, NeuPart's
     * eq. (10)) */
    int64_t m;
    /* how the PE array is used */
    int64_t r_pe;          /* PE rows per set (R, or R folded when R > J) */
    int64_t r_fold;        /* passes a folded filter height takes (1 normally) */
    int64_t s_pass;        /* sets per pass, eq. (5) */
    int64_t c_set;         /* channels per set (per PE) */
    int64_t f_pe;          /* filters per PE */
    int64_t filter_groups; /* sets working on different filters (C < z_i) */
    int64_t group_par;     /* groups of a grouped conv run side by side */
    unsigned exceptions;   /* RS_EXC_* */
} rs_mapping;

/* What the PE's scratch pads hold in operands of the layer's width: the
 * description gives them in words of rf.word_bits (16 on Eyeriss), and an
 * 8-bit operand takes half a 16-bit word (NeuPart Sec. VIII-A keeps the RF
 * bytes: 224 / 12 filter / ifmap words at 16 bit, 448 / 24 at 8 bit); psums
 * at the psum width (psum_bits: 24 psums on eyeriss-v1 at either width, whose
 * psums stay 16-bit; the CNNergy code's 8-bit psums give it 48). */
typedef struct {
    int64_t filter, ifmap, psum;
} rs_rf_capacity;
rs_rf_capacity rs_mapping_rf_capacity(const accel_arch *a, int bits);

/* CNNergy's rules.  `batch` is the number of frames to process (N is capped
 * by it); batch 0 means "auto": N is what eq. (11) allows.  Errors: a layer
 * that fits in no mapping (GLB too small even for one row). */
int rs_mapping_rules(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                 rs_mapping *m, ps_error *err);
/* The default model's mapping: CNNergy's rules, then partsim's GLB tile
 * (Eyeriss's m with the X_o, Y_o and N that go with it: the fewest DRAM
 * words a frame that fit the GLB, see rs_mapping.c).  `ifmap_dram_share`:
 * what share of the ifmap's words reach DRAM (the real, unpadded part,
 * compressed: rowstat_ifmap_dram_share), weighed against the filters'. */
int rs_mapping_tiled(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                     double ifmap_dram_share, rs_mapping *m, ps_error *err);
/* partsim's GLB tile for a valid mapping m (its schedule kept: f_i, z_i,
 * y_o, the sets): m, X_o, Y_o and N rechosen; m's own tile is kept unless
 * another has fewer DRAM words a frame. */
void rs_mapping_tile(const accel_arch *a, const conv_shape *l, int bits, int64_t batch,
                     double ifmap_dram_share, rs_mapping *m);

/* Capacity check: RF, GLB and PE-array limits; 0 or an error naming the
 * limit that is exceeded. */
int rs_mapping_check(const accel_arch *a, const conv_shape *l, int bits, const rs_mapping *m,
                     ps_error *err);

/* GLB bytes a mapping needs: N (|ifmap| + |psum|), eqs. (9)-(11). */
double rs_mapping_glb_bytes(const accel_arch *a, int bits, const rs_mapping *m);

/* The m filters of a GLB tile: m, or f_i when m is not set. */
int64_t rs_mapping_glb_filters(const rs_mapping *m);

/* "f_i=18 z_i=1 y_o=14 X_o=55 Y_o=55 N=1" (and " m=96" when m > f_i) */
void rs_mapping_summary(const rs_mapping *m, char *buf, size_t size);

#endif
