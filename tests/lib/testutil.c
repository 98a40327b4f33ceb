// SPDX-License-Identifier: GPL-2.0-only
/* Running the famfsctl program from tests, capturing what it prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/lib/testutil.h"

static void slurp(int fd, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;

	while (used + 1 < len && (n = read(fd, buf + used, len - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	close(fd);
}

/*
 * Run @bin with @argv (NULL-terminated, argv[0] replaced by @bin).
 */
void run_program(struct run *r, const char *bin, char **argv)
{
	int out[2], errp[2], wstatus;
	pid_t pid;

	assert_non_null(bin);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(errp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(errp[1], STDERR_FILENO);
		close(out[0]);
		close(errp[0]);
		argv[0] = (char *)bin;
		execv(bin, argv);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	/* outputs here are small; drain stdout then stderr */
	slurp(out[0], r->out, sizeof(r->out));
	slurp(errp[0], r->errout, sizeof(r->errout));
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	assert_true(WIFEXITED(wstatus));
	r->status = WEXITSTATUS(wstatus);
}

