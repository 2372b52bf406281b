/* Walk every layer of every zoo model (workloads/zoo/<name>.onnx) as the cost
 * models see it, for the property tests of the accelerator models. */
#ifndef PARTSIM_TESTS_ACCEL_ZOO_LAYERS_H
#define PARTSIM_TESTS_ACCEL_ZOO_LAYERS_H

#include "accel/layer.h"

/* Called once per layer; `model` is the zoo name.  Layer sparsity is the
 * defaults of workloads/sparsity.h. */
typedef void (*zoo_layer_fn)(const char *model, const accel_layer *l, void *ctx);

/* Visit the layers of every zoo model in schedule order; returns the number
 * of models visited (a failed load is reported on stderr and not counted). */
int zoo_for_each_layer(zoo_layer_fn fn, void *ctx);

/* The same for one model; returns 0 or the load error's code. */
int zoo_model_layers(const char *model, zoo_layer_fn fn, void *ctx);

#endif
