/* partsim: entry point.  Everything happens in the command table (cli/cli.c). */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
