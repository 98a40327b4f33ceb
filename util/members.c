// SPDX-License-Identifier: LGPL-2.1-only
/* Member lists on command lines (util/members.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/members.h"

bool util_is_set_name(const char *spec)
{
	return *spec && !strpbrk(spec, "/,=:") && strlen(spec) < 64;
}

void util_members_free(struct util_members *m)
{
	free(m->paths);
	free(m->tags);
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

int util_members_split(int argc, char *const *argv, struct util_members *m)
{
	size_t len = 1, max = 1;
	char *p, *next;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < argc; i++) {
		len += strlen(argv[i]) + 1;
		for (const char *c = argv[i]; *c; c++)
			max += *c == ',';
		max++;
	}
	m->buf = calloc(1, len);
	m->paths = calloc(max, sizeof(*m->paths));
	m->tags = calloc(max, sizeof(*m->tags));
	if (!m->buf || !m->paths || !m->tags) {
		util_members_free(m);
		return -ENOMEM;
	}
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(m->buf, ",");
		strcat(m->buf, argv[i]);
	}
	for (p = m->buf; p; p = next) {
		char *eq;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if (!*p) {
			util_members_free(m);
			return -EINVAL; /* "a,,b", a leading or trailing comma */
		}
		eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			m->tags[m->n] = eq + 1;
		}
		m->paths[m->n++] = p;
	}
	return 0;
}
