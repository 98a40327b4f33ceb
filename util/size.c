// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Sizes in and out: "64G", "512M", "2MiB", "1.5G", "0x200000" in; "64 GiB",
 * "1.50 GiB" out. Every suffix is a binary multiple (G = GB = GiB = 2^30), as
 * with ndctl's tools: memory capacity is counted in powers of two.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/export.h"
#include "util/size.h"

static const char units[] = "KMGTPE";

/* Parse "K", "Ki", "KiB", "KB" (any case for the letter) into a shift. */
static int parse_suffix(const char *s, unsigned int *shift)
{
	const char *u;

	*shift = 0;
	if (*s == '\0')
		return 0;
	if (*s == 'b' || *s == 'B')
		return s[1] == '\0' ? 0 : -EINVAL;
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -EINVAL;
	*shift = 10 * (unsigned int)(u - units + 1);
	s++;
	if (*s == 'i')
		s++;
	if (*s == 'B' || *s == 'b')
		s++;
	return *s == '\0' ? 0 : -EINVAL;
}

int util_parse_size(const char *str, uint64_t *size)
{
	uint64_t whole = 0, frac = 0, frac_div = 1, mult, v;
	unsigned int shift;
	const char *p = str;
	char *end;
	int rc;

	if (!str)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL; /* no sign, no empty string */

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (!isxdigit((unsigned char)p[2]))
			return -EINVAL;
		errno = 0;
		whole = strtoull(p, &end, 16);
		if (errno == ERANGE)
			return -ERANGE;
		p = end;
	} else {
		for (; isdigit((unsigned char)*p); p++) {
			uint64_t d = (uint64_t)(*p - '0');

			if (whole > (UINT64_MAX - d) / 10)
				return -ERANGE;
			whole = whole * 10 + d;
		}
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			for (; isdigit((unsigned char)*p); p++) {
				if (frac_div >= 1000000000000ULL)
					return -EINVAL; /* more precision than bytes */
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
		}
	}
	rc = parse_suffix(p, &shift);
	if (rc < 0)
		return rc;
	mult = 1ULL << shift;
	if (whole > UINT64_MAX >> shift)
		return -ERANGE;
	v = whole << shift;
	if (frac) {
		/* The fraction must come out to whole bytes: 1.5K yes, 1.3B no. */
		unsigned __int128 f = (unsigned __int128)frac * mult;

		if (f % frac_div)
			return -EINVAL;
		f /= frac_div;
		if (v > UINT64_MAX - f)
			return -ERANGE;
		v += (uint64_t)f;
	}
	*size = v;
	return 0;
}

char *util_format_size(uint64_t size, char *buf, size_t len)
{
	static const char *names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int i = 0;

	while (i + 1 < ARRAY_SIZE(names) && size >= (1ULL << (10 * (i + 1))))
		i++;
	if (i == 0 || (size & ((1ULL << (10 * i)) - 1)) == 0)
		snprintf(buf, len, "%llu %s",
			 (unsigned long long)(size >> (10 * i)), names[i]);
	else
		snprintf(buf, len, "%.2f %s",
			 (double)size / (double)(1ULL << (10 * i)), names[i]);
	return buf;
}
