// SPDX-License-Identifier: LGPL-2.1-only
/* Text famfsctl shows others (util/text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/text.h"

/* The length of the well-formed UTF-8 sequence at s, or 0. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned int c = s[0], n, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (unsigned int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also the terminating NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

char *util_utf8_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	char *out = malloc(len * 3 + 1), *o = out; /* each bad byte: 3 bytes */

	if (!out)
		return NULL;
	while (*p) {
		size_t n = utf8_seq(p);

		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return out;
}

char *util_escape_ctl(const char *s, char *out, size_t len)
{
	size_t o = 0;

	if (!len)
		return out;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < len; p++) {
		int ctl = (*p < 0x20 && *p != '\t' && !(*p == '\n' && !p[1])) || *p == 0x7f;

		if (!ctl) {
			out[o++] = (char)*p;
		} else if (o + 4 < len) {
			snprintf(out + o, 5, "\\x%02x", *p);
			o += 4;
		} else {
			break;
		}
	}
	out[o] = '\0';
	return out;
}
