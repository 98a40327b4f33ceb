/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by tests that run the famfsctl program. */
#ifndef FC_TESTUTIL_H
#define FC_TESTUTIL_H

struct run {
	int status;        /* exit status */
	char out[65536];   /* stdout */
	char errout[8192]; /* stderr */
};

/* Run @bin with @argv (NULL-terminated; argv[0] is replaced by @bin),
 * capturing its output; cmocka-asserts that it exited normally. */
void run_program(struct run *r, const char *bin, char **argv);

#endif
