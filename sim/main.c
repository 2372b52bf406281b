/* partsim: entry point.  Everything happens in the command table (sim/cli.c). */
#include "sim/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
