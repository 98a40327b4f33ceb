// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing the policy parser. A deterministic mutation fuzzer (seeded, so a
 * failure reproduces) over the shipped example policies, with a fixed budget:
 * FUZZ_ITERATIONS inputs (default 20000) or FUZZ_SECONDS (default 5),
 * whichever ends first. Each input must either load (and then satisfy the
 * format's invariants and render as JSON) or be refused with -EINVAL; a crash,
 * hang, leak or sanitizer report fails `make check`.
 *
 * Built with clang -fsanitize=fuzzer, LLVMFuzzerTestOneInput is the same
 * check as a libFuzzer target.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

static void quiet(struct fc_ctx *ctx, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

static struct fc_ctx *ctx;

static int check_one(const uint8_t *data, size_t len)
{
	struct fc_policy *p = NULL;
	struct json_object *j, *s, *v;
	int rc;

	rc = fc_policy_parse_buffer(ctx, "fuzz", (const char *)data, len, &p);
	if (rc == -EINVAL)
		return 0;
	if (rc != 0) {
		fprintf(stderr, "unexpected rc %d\n", rc);
		abort();
	}
	j = fc_policy_to_json(p, 0);
	if (!j || !json_object_object_get_ex(j, "interleave", &s) ||
	    !json_object_object_get_ex(s, "strips", &v) ||
	    json_object_get_int(v) < 1 || json_object_get_int(v) > 16)
		abort();
	if (!json_object_object_get_ex(s, "chunk", &v) ||
	    (json_object_get_uint64(v) & (json_object_get_uint64(v) - 1)) ||
	    json_object_get_uint64(v) < (2u << 20))
		abort();
	json_object_put(j);
	fc_policy_unref(p);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx && fc_new(&ctx) == 0)
		fc_set_log_fn(ctx, quiet);
	return check_one(data, size);
}

#ifndef FUZZ_LIBFUZZER
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(65536);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static const char interesting[] = "\n[]=;#:, \t0179GMx-/*.";

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	unsigned int n = 1 + next() % 8;

	while (n--) {
		size_t pos = len ? next() % len : 0;

		switch (next() % 6) {
		case 0: /* flip a bit */
			if (len)
				buf[pos] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1: /* an interesting byte */
			if (len)
				buf[pos] = (uint8_t)interesting[next() % (sizeof(interesting) - 1)];
			break;
		case 2: /* insert */
			if (len + 1 < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = (uint8_t)interesting[next() % (sizeof(interesting) - 1)];
				len++;
			}
			break;
		case 3: { /* delete a run */
			size_t run = next() % 16;

			if (pos + run > len)
				run = len - pos;
			memmove(buf + pos, buf + pos + run, len - pos - run);
			len -= run;
			break;
		}
		case 4: { /* duplicate a run elsewhere */
			size_t run = next() % 64, to = len ? next() % len : 0;
			uint8_t tmp[64];

			if (pos + run > len)
				run = len - pos;
			if (len + run < cap) {
				memcpy(tmp, buf + pos, run);
				memmove(buf + to + run, buf + to, len - to);
				memcpy(buf + to, tmp, run);
				len += run;
			}
			break;
		}
		case 5: /* a random byte, NUL included */
			if (len)
				buf[pos] = (uint8_t)next();
			break;
		}
	}
	return len;
}

int main(void)
{
	static const char *seeds[] = { "famfsctl.conf", "policies.d/demo.conf",
				       "examples/reference-22.conf",
				       "examples/client.conf" };
	const char *src = getenv("top_srcdir");
	long iterations = getenv("FUZZ_ITERATIONS") ? atol(getenv("FUZZ_ITERATIONS")) : 20000;
	long seconds = getenv("FUZZ_SECONDS") ? atol(getenv("FUZZ_SECONDS")) : 5;
	char *seed[4];
	size_t seed_len[4];
	uint8_t *buf = malloc(131072);
	time_t start = time(NULL);
	long i, accepted = 0;

	if (!src || !buf || fc_new(&ctx) < 0)
		return 99;
	fc_set_log_fn(ctx, quiet);
	for (int s = 0; s < 4; s++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/policies/%s", src, seeds[s]);
		seed[s] = slurp(path, &seed_len[s]);
		if (!seed[s]) {
			fprintf(stderr, "cannot read seed %s\n", path);
			return 99;
		}
	}
	for (i = 0; i < iterations && time(NULL) - start < seconds; i++) {
		int s = (int)(next() % 4);
		size_t len;
		struct fc_policy *p;

		memcpy(buf, seed[s], seed_len[s]);
		len = mutate(buf, seed_len[s], 131072);
		check_one(buf, len);
		if (fc_policy_parse_buffer(ctx, "fuzz", (char *)buf, len, &p) == 0) {
			accepted++;
			fc_policy_unref(p);
		}
	}
	printf("fuzz-policy: %ld inputs in %lds, %ld accepted, %ld refused\n", i,
	       (long)(time(NULL) - start), accepted, i - accepted);
	printf("%ld passed, 0 failed\n", i);
	for (int s = 0; s < 4; s++)
		free(seed[s]);
	free(buf);
	fc_unref(ctx);
	return 0;
}
#endif
