#include "workloads/sparsity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool op_in(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return true;
    return false;
}

/* Walk the schedule and give every tensor not in `given` (may be NULL) its
 * default: ReLU outputs SPARSITY_DEFAULT_RELU, data-movement ops their data
 * input's value (given or not, so a measured value flows on through a
 * MaxPool or Concat), everything else 0. */
static void propagate(const graph *g, sparsity_table *t, const bool *given)
{
    static const char *const RELU[] = {"Relu", "LeakyRelu", "Clip", NULL};
    static const char *const MOVE[] = {"MaxPool", "Concat", "Flatten", "Reshape", "Pad",
                                       "Dropout", "Identity", "Split", "Transpose", "Squeeze",
                                       "Unsqueeze", "GlobalMaxPool", NULL};
    for (int i = 0; i < g->n_nodes; i++) {
        const graph_node *n = &g->nodes[g->order[i]];
        double s = 0.0;
        if (op_in(n->op, RELU)) {
            s = SPARSITY_DEFAULT_RELU;
        } else if (op_in(n->op, MOVE)) {
            /* the data input (first one) passes its zeros on */
            s = n->n_inputs > 0 ? sparsity_of(t, n->inputs[0]) : 0.0;
        }
        for (int k = 0; k < n->n_outputs; k++)
            if (n->outputs[k] >= 0 && !(given && given[n->outputs[k]]))
                t->by_tensor[n->outputs[k]] = s;
    }
}

int sparsity_defaults(const graph *g, sparsity_table *t, ps_error *err)
{
    t->n = g->n_tensors;
    t->by_tensor = calloc((size_t)g->n_tensors + 1, sizeof *t->by_tensor);
    if (!t->by_tensor)
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    propagate(g, t, NULL);
    return 0;
}

int sparsity_load_csv(const graph *g, const char *path, sparsity_table *t, ps_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return error_set(err, PS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char line[4096];
    int lineno = 0, rc = 0;
    bool header = false;
    bool *given = calloc((size_t)g->n_tensors + 1, sizeof *given);
    if (!given) {
        fclose(f);
        return error_set(err, PS_ERR_NOMEM, "out of memory");
    }
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: line longer than %zu characters", path,
                           lineno, sizeof line - 2);
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        char *comma = strrchr(line, ',');
        if (!header) {
            if (!comma || strncmp(line, "tensor", (size_t)(comma - line)) != 0 ||
                strcmp(comma + 1, "sparsity") != 0)
                rc = error_set(err, PS_ERR_INPUT, "%s:%d: expected the header 'tensor,sparsity'",
                               path, lineno);
            header = true;
            continue;
        }
        if (!comma) {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: expected 'tensor,sparsity', got '%s'",
                           path, lineno, line);
            break;
        }
        *comma = '\0';
        char *name = line, *end;
        if (name[0] == '"' && len > 1 && comma[-1] == '"') { /* a quoted name */
            comma[-1] = '\0';
            name++;
        }
        errno = 0;
        double v = strtod(comma + 1, &end);
        if (errno || end == comma + 1 || *end || !(v >= 0.0 && v <= 1.0)) {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: sparsity of '%s' must be a number from 0 "
                           "to 1 (fraction of zeros), got '%s'", path, lineno, name, comma + 1);
            break;
        }
        int ti = graph_find(g, name);
        if (ti < 0) {
            rc = error_set(err, PS_ERR_INPUT, "%s:%d: tensor '%s' is not in the model %s", path,
                           lineno, name, g->source);
            break;
        }
        t->by_tensor[ti] = v;
        given[ti] = true;
    }
    if (!rc && !header)
        rc = error_set(err, PS_ERR_INPUT, "%s: empty; expected the header 'tensor,sparsity'",
                       path);
    if (!rc)
        propagate(g, t, given);
    free(given);
    fclose(f);
    return rc;
}

void sparsity_free(sparsity_table *t)
{
    if (t) {
        free(t->by_tensor);
        t->by_tensor = NULL;
        t->n = 0;
    }
}
