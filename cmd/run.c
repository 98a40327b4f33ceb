// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl run [--] CMD [ARGS]: run an unmodified program with the preload
 * library (preload/), so that its mmap() of a file under a famfsctl
 * portable mount is the direct map -- loads and stores straight to the
 * members -- instead of page-cache pages copied through the mount server.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/builtin.h"

#ifndef PRELOADLIB /* cmd.am passes $(libdir)'s; a bare name is searched for */
#define PRELOADLIB "libfamfsctl-preload.so"
#endif

static const char run_help[] =
	"usage: famfsctl run [--] CMD [ARGS]\n\n"
	"Run CMD with " PRELOADLIB "\n"
	"preloaded ($FAMFSCTL_PRELOAD names another): its mmap() of a file under a\n"
	"famfsctl portable mount returns the direct map of the file (its members\n"
	"mapped in place, devdax) instead of a page-cache mapping; munmap() of it\n"
	"works; other files and calls are untouched. A process that cannot open the\n"
	"members falls back to the normal mapping with one warning. The exit status\n"
	"is CMD's.\n\n"
	"  -h, --help          this help\n"
	"See famfsctl-run(1).\n";

int cmd_run(int argc, char **argv, struct cli_env *env)
{
	const char *lib = getenv("FAMFSCTL_PRELOAD"), *old = getenv("LD_PRELOAD");
	char *val;
	int first = 1;

	if (!lib || !*lib)
		lib = PRELOADLIB;
	if (first < argc && (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help"))) {
		fputs(run_help, stdout);
		return FC_EXIT_OK;
	}
	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (first >= argc)
		return cli_usage_error("run", "give CMD to run");
	if (access(lib, R_OK) < 0) {
		cli_printf(stderr, "famfsctl run: %s: %s (is famfsctl installed?)\n", lib, strerror(errno));
		return FC_EXIT_FAILED;
	}
	if (asprintf(&val, "%s%s%s", lib, old && *old ? ":" : "", old && *old ? old : "") < 0)
		return FC_EXIT_FAILED;
	setenv("LD_PRELOAD", val, 1);
	free(val);
	execvp(argv[first], argv + first);
	cli_printf(stderr, "famfsctl run: %s: %s\n", argv[first], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
