/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * How famfsctl names a file system's members on a command line: an
 * interleave set's name ("demo"), or the members' paths comma-separated,
 * the primary first ("/dev/dax0.1,/dev/dax1.1"), each optionally with its
 * identity ("/dev/dax0.1=UUID"). One parser for every command and program.
 */
#ifndef UTIL_MEMBERS_H
#define UTIL_MEMBERS_H

#include <stdbool.h>

struct util_members {
	unsigned int n;
	char **paths; /* n paths */
	char **tags;  /* n: the text after '=', or NULL */
	char *buf;
};

/* A set name: one word of at most 63 bytes without '/', ',', '=' or ':'
 * (anything else names members by path). */
bool util_is_set_name(const char *spec);
/*
 * Split a member list, possibly spread over several arguments (joined with
 * commas). 0, or -EINVAL when it names no member or has an empty one,
 * -ENOMEM. The caller frees with util_members_free().
 */
int util_members_split(int argc, char *const *argv, struct util_members *m);
void util_members_free(struct util_members *m);

#endif /* UTIL_MEMBERS_H */
