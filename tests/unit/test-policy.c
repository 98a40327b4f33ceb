// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy files (lib/policy.c), as a manual: what every key accepts, what
 * it defaults to, how defaults merge, and the exact message for each
 * mistake -- always FILE:LINE: [section] key: what is wrong, every problem
 * in a file reported, nothing loaded when anything is wrong.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

static char logbuf[16384];
static char dir[] = "/tmp/famfsctl-policy-XXXXXX";

static void capture(struct fc_ctx *ctx, int prio, const char *file, int line,
		    const char *fn, const char *fmt, va_list ap)
{
	size_t n = strlen(logbuf);

	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
}

static struct fc_ctx *new_ctx(void)
{
	struct fc_ctx *ctx;

	assert_int_equal(fc_new(&ctx), 0);
	fc_set_log_fn(ctx, capture);
	fc_set_log_priority(ctx, 3);
	logbuf[0] = '\0';
	return ctx;
}

static void write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
}

static int setup(void **state)
{
	char sub[512];

	if (!mkdtemp(dir))
		return -1;
	snprintf(sub, sizeof(sub), "%s/policies.d", dir);
	mkdir(sub, 0755);
	setenv("FAMFSCTL_POLICY_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Load policies.d/NAME.conf holding `text`; returns the JSON or NULL. */
static struct json_object *load(const char *text, int expect_rc)
{
	struct fc_ctx *ctx = new_ctx();
	struct fc_policy *p = NULL;
	struct json_object *j = NULL;
	int rc;

	write_file("policies.d/t.conf", text);
	rc = fc_policy_load(ctx, "t", 0, &p);
	if (rc != expect_rc)
		fail_msg("rc %d, expected %d; log:\n%s", rc, expect_rc, logbuf);
	if (p) {
		j = fc_policy_to_json(p, 0);
		fc_policy_unref(p);
	}
	fc_unref(ctx);
	return j;
}

static void expect_error(const char *text, const char *message)
{
	assert_null(load(text, -EINVAL));
	if (!strstr(logbuf, message))
		fail_msg("expected '%s' in:\n%s", message, logbuf);
}

static struct json_object *get(struct json_object *j, const char *section,
			       const char *key)
{
	struct json_object *s, *v;

	assert_true(json_object_object_get_ex(j, section, &s));
	if (!json_object_object_get_ex(s, key, &v))
		fail_msg("[%s] %s missing", section, key);
	return v;
}

#define MINIMAL "[members]\ncount = 4\n[capacity]\nmember_size = 4G\n"

static void a_minimal_policy_gets_every_default(void **state)
{
	struct json_object *j = load(MINIMAL, 0);

	assert_non_null(j);
	assert_string_equal(json_object_get_string(json_object_object_get(j, "policy")), "t");
	assert_int_equal(json_object_get_int(get(j, "fabric", "host_id")), 0);
	assert_int_equal(json_object_get_int(get(j, "members", "count")), 4);
	assert_int_equal(json_object_get_uint64(get(j, "capacity", "member_size")), 4ULL << 30);
	assert_int_equal(json_object_get_uint64(get(j, "interleave", "chunk")), 2ULL << 20);
	assert_int_equal(json_object_get_int(get(j, "interleave", "strips")), 4);
	assert_false(json_object_get_boolean(get(j, "sharing", "shared")));
	assert_string_equal(json_object_get_string(get(j, "sharing", "role")), "master");
	assert_int_equal(json_object_get_uint64(get(j, "famfs", "log_size")), 8ULL << 20);
	assert_string_equal(json_object_get_string(get(j, "famfs", "mount_point")), "/mnt/famfs/t");
	assert_string_equal(json_object_get_string(get(j, "famfs", "mount_mode")), "auto");
	assert_string_equal(json_object_get_string(get(j, "famfs", "root_mode")), "0755");
	assert_int_equal(json_object_get_int(get(j, "famfs", "root_uid")), 0);
	assert_int_equal(json_object_get_int(get(j, "famfs", "copy_threads")), 4);
	assert_int_equal(json_object_get_int(get(j, "famfs", "refresh_interval_ms")), 10000);
	assert_false(json_object_get_boolean(get(j, "udev", "auto_setup")));
	assert_int_equal(json_object_array_length(get(j, "udev", "tag_patterns")), 0);
	json_object_put(j);
}

static void every_key_is_parsed(void **state)
{
	struct json_object *j = load(
		"[policy]\ndescription = all keys\n"
		"[fabric]\nuri = exec:/usr/bin/fm\nhost_id = 7\n"
		"[members]\nmemdevs = mem0, mem1 ,mem2\nserials = 0x10,17,18\n"
		"ports = port1,port2\nnuma_node = 1\ncount = 3\n"
		"[capacity]\ntotal_size = 24G\n"
		"[interleave]\nchunk = 8M\nstrips = 2\n"
		"[sharing]\nshared = yes\nrole = client\n"
		"[famfs]\nlog_size = 16M\nmount_point = /srv/f\nmount_mode = portable\n"
		"root_uid = 1000\nroot_gid = root\nroot_mode = 0770\ncopy_threads = 9\n"
		"refresh_interval = 500ms\n"
		"[udev]\nauto_setup = on\ntag_patterns = 5f3c*, 9A1E*\n", 0);
	struct json_object *l;

	assert_non_null(j);
	assert_string_equal(json_object_get_string(json_object_object_get(j, "description")), "all keys");
	assert_string_equal(json_object_get_string(get(j, "fabric", "uri")), "exec:/usr/bin/fm");
	assert_int_equal(json_object_get_int(get(j, "fabric", "host_id")), 7);
	l = get(j, "members", "memdevs");
	assert_int_equal(json_object_array_length(l), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(l, 1)), "mem1");
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(get(j, "members", "serials"), 0)), "0x10");
	assert_int_equal(json_object_array_length(get(j, "members", "ports")), 2);
	assert_int_equal(json_object_get_int(get(j, "members", "numa_node")), 1);
	assert_int_equal(json_object_get_int(get(j, "members", "count")), 3);
	assert_int_equal(json_object_get_uint64(get(j, "capacity", "total_size")), 24ULL << 30);
	assert_int_equal(json_object_get_uint64(get(j, "interleave", "chunk")), 8ULL << 20);
	assert_int_equal(json_object_get_int(get(j, "interleave", "strips")), 2);
	assert_true(json_object_get_boolean(get(j, "sharing", "shared")));
	assert_string_equal(json_object_get_string(get(j, "sharing", "role")), "client");
	assert_int_equal(json_object_get_uint64(get(j, "famfs", "log_size")), 16ULL << 20);
	assert_string_equal(json_object_get_string(get(j, "famfs", "mount_point")), "/srv/f");
	assert_string_equal(json_object_get_string(get(j, "famfs", "mount_mode")), "portable");
	assert_int_equal(json_object_get_int(get(j, "famfs", "root_uid")), 1000);
	assert_int_equal(json_object_get_int(get(j, "famfs", "root_gid")), 0);
	assert_string_equal(json_object_get_string(get(j, "famfs", "root_mode")), "0770");
	assert_int_equal(json_object_get_int(get(j, "famfs", "copy_threads")), 9);
	assert_int_equal(json_object_get_int(get(j, "famfs", "refresh_interval_ms")), 500);
	assert_true(json_object_get_boolean(get(j, "udev", "auto_setup")));
	assert_int_equal(json_object_array_length(get(j, "udev", "tag_patterns")), 2);
	json_object_put(j);
}

static void count_defaults_to_the_devices_listed(void **state)
{
	struct json_object *j = load("[members]\nmemdevs = mem0,mem1\n"
				     "[capacity]\ntotal_size = 8G\n", 0);

	assert_int_equal(json_object_get_int(get(j, "members", "count")), 2);
	assert_int_equal(json_object_get_int(get(j, "interleave", "strips")), 2);
	json_object_put(j);
}

static void strips_default_caps_at_sixteen(void **state)
{
	struct json_object *j = load("[members]\ncount = 22\n[capacity]\nmember_size = 2G\n", 0);

	assert_int_equal(json_object_get_int(get(j, "interleave", "strips")), 16);
	json_object_put(j);
}

static void durations_take_units(void **state)
{
	static const struct { const char *v; int ms; } d[] = {
		{ "30", 30000 }, { "30s", 30000 }, { "5m", 300000 }, { "1h", 3600000 },
		{ "250ms", 250 },
	};

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		char text[256];
		struct json_object *j;

		snprintf(text, sizeof(text), MINIMAL "[famfs]\nrefresh_interval = %s\n", d[i].v);
		j = load(text, 0);
		assert_int_equal(json_object_get_int(get(j, "famfs", "refresh_interval_ms")), d[i].ms);
		json_object_put(j);
	}
}

static void defaults_file_is_merged_under_the_policy(void **state)
{
	struct json_object *j;

	write_file("famfsctl.conf", "[fabric]\nuri = sim:/tmp/x\nhost_id = 3\n"
				    "[famfs]\ncopy_threads = 2\n");
	j = load(MINIMAL "[fabric]\nhost_id = 5\n", 0);
	unlink(strcat(strcpy((char[600]){ 0 }, dir), "/famfsctl.conf"));
	assert_string_equal(json_object_get_string(get(j, "fabric", "uri")), "sim:/tmp/x");
	assert_int_equal(json_object_get_int(get(j, "fabric", "host_id")), 5); /* policy wins */
	assert_int_equal(json_object_get_int(get(j, "famfs", "copy_threads")), 2);
	json_object_put(j);
}

static void fabric_none_is_a_client_without_fabric_manager(void **state)
{
	struct json_object *j = load(MINIMAL "[fabric]\nuri = none\n", 0);

	assert_string_equal(json_object_get_string(get(j, "fabric", "uri")), "none");
	json_object_put(j);
}

static void errors_in_the_defaults_file_name_it(void **state)
{
	write_file("famfsctl.conf", "[famfs]\ncopy_threads = 0\n");
	assert_null(load(MINIMAL, -EINVAL));
	unlink(strcat(strcpy((char[600]){ 0 }, dir), "/famfsctl.conf"));
	assert_non_null(strstr(logbuf, "famfsctl.conf:2: [famfs] copy_threads: 0 is out of range 1..64"));
}

static void each_bad_value_is_named_with_file_line_and_key(void **state)
{
	static const struct { const char *text, *msg; } c[] = {
		{ MINIMAL "[fabric]\nuri = NFS/x\n",
		  "t.conf:6: [fabric] uri: 'NFS/x' is not PLUGIN:ARG (sim:DIR, exec:PROGRAM)" },
		{ MINIMAL "[fabric]\nuri = exec:\n", "t.conf:6: [fabric] uri:" },
		{ MINIMAL "[fabric]\nhost_id = 65536\n",
		  "t.conf:6: [fabric] host_id: 65536 is out of range 0..65535" },
		{ MINIMAL "[fabric]\nhost_id = -1\n", "[fabric] host_id: '-1' is not a whole number" },
		{ "[members]\ncount = 0\n", "t.conf:2: [members] count: 0 is out of range 1..255" },
		{ "[members]\ncount = x\n", "t.conf:2: [members] count: 'x' is not a whole number" },
		/* issue 18: 256..1024 passed and then overflowed interleave create */
		{ "[members]\ncount = 256\n", "t.conf:2: [members] count: 256 is out of range 1..255" },
		{ "[members]\ncount = 1024\n", "t.conf:2: [members] count: 1024 is out of range 1..255" },
		/* issue 18: member_size x count wrapped to 8 MiB */
		{ "[members]\ncount = 4\n[capacity]\nmember_size = 0x4000000000200000\n",
		  "t.conf:4: [capacity] member_size: 4.00 EiB (4611686018429485056 bytes) times 4 members is too large" },
		{ MINIMAL "[members]\nnuma_node = near\n", "[members] numa_node: 'near' is not a whole number" },
		{ "[members]\nserials = 12,abc\n", "t.conf:2: [members] serials: 'abc' is not a serial number" },
		{ "[members]\nmemdevs = mem0,,mem1\n", "t.conf:2: [members] memdevs: empty entry in list" },
		{ "[members]\nmemdevs = mem0,\n", "[members] memdevs: empty entry in list" },
		{ "[members]\ncount = 2\n[capacity]\nmember_size = lots\n",
		  "t.conf:4: [capacity] member_size: 'lots' is not a size" },
		{ "[members]\ncount = 2\n[capacity]\nmember_size = 0\n",
		  "t.conf:4: [capacity] member_size: must not be zero" },
		{ "[members]\ncount = 2\n[capacity]\nmember_size = 3M\n",
		  "t.conf:4: [capacity] member_size: must be a multiple of 2 MiB" },
		{ MINIMAL "[interleave]\nchunk = 6M\n",
		  "t.conf:6: [interleave] chunk: must be a power-of-two multiple of 2 MiB" },
		{ MINIMAL "[interleave]\nchunk = 1M\n", "[interleave] chunk: must be a power-of-two" },
		{ MINIMAL "[interleave]\nstrips = 17\n", "t.conf:6: [interleave] strips: 17 is out of range 1..16" },
		{ MINIMAL "[interleave]\nstrips = 5\n", "t.conf:6: [interleave] strips: 5 strips but only 4 members" },
		{ MINIMAL "[sharing]\nshared = maybe\n", "t.conf:6: [sharing] shared: 'maybe' is not yes or no" },
		{ MINIMAL "[sharing]\nrole = boss\n", "t.conf:6: [sharing] role: must be master or client" },
		{ MINIMAL "[sharing]\nrole = client\n", "t.conf:6: [sharing] role: client needs shared = yes" },
		{ MINIMAL "[famfs]\nlog_size = 4M\n", "t.conf:6: [famfs] log_size: must be a power of two of at least 8 MiB" },
		{ MINIMAL "[famfs]\nlog_size = 24M\n", "[famfs] log_size: must be a power of two" },
		{ MINIMAL "[famfs]\nmount_point = mnt/x\n", "t.conf:6: [famfs] mount_point: 'mnt/x' is not an absolute path" },
		{ MINIMAL "[famfs]\nmount_mode = nfs\n", "t.conf:6: [famfs] mount_mode: must be auto, portable or famfs" },
		{ MINIMAL "[famfs]\nroot_uid = nosuchuser-xyz\n", "t.conf:6: [famfs] root_uid: no user 'nosuchuser-xyz'" },
		{ MINIMAL "[famfs]\nroot_gid = nosuchgroup-xyz\n", "t.conf:6: [famfs] root_gid: no group 'nosuchgroup-xyz'" },
		{ MINIMAL "[famfs]\nroot_mode = 0999\n", "t.conf:6: [famfs] root_mode: '0999' is not an octal mode" },
		{ MINIMAL "[famfs]\ncopy_threads = 65\n", "t.conf:6: [famfs] copy_threads: 65 is out of range 1..64" },
		{ MINIMAL "[famfs]\nrefresh_interval = soon\n", "t.conf:6: [famfs] refresh_interval: 'soon' is not a duration" },
		{ MINIMAL "[famfs]\nrefresh_interval = 25h\n", "[famfs] refresh_interval: must be between 1ms and 24h" },
		{ MINIMAL "[udev]\nauto_setup = sometimes\n", "t.conf:6: [udev] auto_setup: 'sometimes' is not yes or no" },
		{ MINIMAL "[udev]\ntag_patterns = 0123456789012345678901234567890123456789\n",
		  "[udev] tag_patterns: '0123456789012345678901234567890123456789' is longer than a UUID" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		expect_error(c[i].text, c[i].msg);
}

static void missing_and_conflicting_keys_are_errors(void **state)
{
	expect_error("[capacity]\nmember_size = 4G\n",
		     "[members] count: required: how many memory devices form the set");
	expect_error("[members]\ncount = 2\n", "[capacity] total_size: required: total_size or member_size");
	expect_error("[members]\ncount = 2\n[capacity]\ntotal_size = 8G\nmember_size = 4G\n",
		     "t.conf:5: [capacity] member_size: conflicts with total_size (");
	expect_error("[members]\nmemdevs = mem0\ncount = 2\n[capacity]\nmember_size = 4G\n",
		     "t.conf:3: [members] count: 2 members but only 1 memdevs listed");
}

static void unknown_keys_sections_and_duplicates_are_errors(void **state)
{
	expect_error(MINIMAL "[famfs]\nlog_sise = 8M\n", "t.conf:6: [famfs] log_sise: unknown key");
	expect_error(MINIMAL "[famfss]\nlog_size = 8M\n", "t.conf:6: [famfss] log_size: unknown section [famfss]");
	expect_error("count = 4\n" MINIMAL, "t.conf:1: [] count: key outside any [section]");
	expect_error(MINIMAL "[members]\ncount = 5\n", "t.conf:6: [members] count: given twice (first on line 2)");
}

static void syntax_errors_are_all_reported(void **state)
{
	expect_error(MINIMAL "garbage line\n[famfs\n  indented = 1\n",
		     "t.conf:5: expected 'key = value' or '[section]'");
	assert_non_null(strstr(logbuf, "t.conf:6: section header without ']'"));
	assert_non_null(strstr(logbuf, "t.conf:7: indented line"));
	assert_non_null(strstr(logbuf, "policy t: "));
}

/* famfsctl's modes were renamed (famfs's own "fuse" is another thing): the
 * old names still load, as the new modes, with a notice at file:line */
static void old_mount_mode_names_load_with_a_notice(void **state)
{
	static const char *const cases[][2] = {
		{ "fuse", "portable" }, { "kernel", "famfs" }, { "famfs", "famfs" },
		{ "portable", "portable" }, { "auto", "auto" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256], notice[128];
		struct fc_ctx *ctx = new_ctx();
		struct fc_policy *p = NULL;

		fc_set_log_priority(ctx, 4); /* warnings */
		snprintf(text, sizeof(text), MINIMAL "[famfs]\nmount_mode = %s\n", cases[i][0]);
		write_file("policies.d/t.conf", text);
		assert_int_equal(fc_policy_load(ctx, "t", 0, &p), 0);
		assert_string_equal(fc_policy_get_mount_mode(p), cases[i][1]);
		snprintf(notice, sizeof(notice), "t.conf:6: [famfs] mount_mode: '%s' is deprecated; it is now '%s'",
			 cases[i][0], cases[i][1]);
		if (strcmp(cases[i][0], cases[i][1]))
			assert_non_null(strstr(logbuf, notice));
		else
			assert_null(strstr(logbuf, "deprecated"));
		fc_policy_unref(p);
		fc_unref(ctx);
	}
}

static void every_problem_in_a_file_is_reported(void **state)
{
	/* value errors and validation errors together, no follow-on noise */
	expect_error("[members]\ncount = x\n[capacity]\nmember_size = y\n"
		     "[famfs]\nmount_mode = z\n[interleave]\nchunk = 6M\n",
		     "t.conf:2: [members] count:");
	assert_non_null(strstr(logbuf, "t.conf:4: [capacity] member_size:"));
	assert_non_null(strstr(logbuf, "t.conf:6: [famfs] mount_mode:"));
	assert_non_null(strstr(logbuf, "t.conf:8: [interleave] chunk: must be a power-of-two"));
	assert_null(strstr(logbuf, "required"));
	assert_non_null(strstr(logbuf, "policy t: 4 problems"));
}

static void overlong_lines_are_refused(void **state)
{
	char text[512];

	snprintf(text, sizeof(text), MINIMAL "[policy]\ndescription = %0300d\n", 0);
	expect_error(text, "t.conf:6: line longer than 199 characters");
}

static void comments_and_blank_lines_are_ignored(void **state)
{
	struct json_object *j = load("; a comment\n# another\n\n[members]\n"
				     "count = 4 ; inline comment\n[capacity]\nmember_size = 4G\n", 0);

	assert_int_equal(json_object_get_int(get(j, "members", "count")), 4);
	json_object_put(j);
}

static void names_and_paths_are_resolved(void **state)
{
	struct fc_ctx *ctx = new_ctx();
	struct fc_policy *p;
	char path[600];

	write_file("policies.d/named.conf", MINIMAL);
	assert_int_equal(fc_policy_load(ctx, "named", 0, &p), 0);
	snprintf(path, sizeof(path), "%s/policies.d/named.conf", dir);
	assert_string_equal(fc_policy_get_path(p), path);
	assert_string_equal(fc_policy_get_name(p), "named");
	fc_policy_unref(p);
	assert_int_equal(fc_policy_load(ctx, path, 0, &p), 0);
	assert_string_equal(fc_policy_get_name(p), "named");
	fc_policy_unref(p);

	assert_int_equal(fc_policy_load(ctx, "missing", 0, &p), -ENOENT);
	assert_non_null(strstr(logbuf, "policies.d/missing.conf: cannot open"));
	assert_int_equal(fc_policy_load(ctx, "bad*name", 0, &p), -EINVAL);
	assert_int_equal(fc_policy_load(ctx, ".hidden", 0, &p), -EINVAL);
	assert_int_equal(fc_policy_load(ctx, "a b", 0, &p), -EINVAL);
	assert_non_null(strstr(logbuf, "'a b' is neither a policy name"));
	fc_unref(ctx);
}

static void files_others_can_write_are_refused(void **state)
{
	struct fc_ctx *ctx = new_ctx();
	struct fc_policy *p = NULL;
	char path[600];

	snprintf(path, sizeof(path), "%s/policies.d/perm.conf", dir);
	write_file("policies.d/perm.conf", MINIMAL);
	chmod(path, 0666);
	assert_int_equal(fc_policy_load(ctx, path, FC_POLICY_STRICT_PERMS, &p), -EPERM);
	assert_null(p);
	if (geteuid() == 0) {
		if (!strstr(logbuf, "perm.conf: refused: writable by group or others (mode 0666)"))
			fail_msg("log: %s", logbuf);
		assert_non_null(strstr(logbuf, "perm.conf: refused: writable by group or others (mode 0666)"));
		chmod(path, 0620);
		logbuf[0] = '\0';
		assert_int_equal(fc_policy_load(ctx, path, 0, &p), -EPERM);
		assert_non_null(strstr(logbuf, "mode 0620"));
		chmod(path, 0644);
		assert_int_equal(fc_policy_load(ctx, path, 0, &p), 0);
		fc_policy_unref(p);
		assert_int_equal(chown(path, 65534, 0), 0);
		logbuf[0] = '\0';
		assert_int_equal(fc_policy_load(ctx, path, 0, &p), -EPERM);
		assert_non_null(strstr(logbuf, "refused: owned by uid 65534, not root"));
	} else {
		/* not root: the file is ours, so strict mode refuses its owner */
		assert_non_null(strstr(logbuf, "perm.conf: refused: owned by uid"));
	}
	fc_unref(ctx);
}

static void shipped_examples_are_valid(void **state)
{
	static const char *names[] = { "policies.d/demo", "examples/reference-22",
				       "examples/client" };
	const char *src = getenv("top_srcdir");
	struct fc_ctx *ctx = new_ctx();
	char pdir[600], path[700];

	assert_non_null(src);
	snprintf(pdir, sizeof(pdir), "%s/policies", src);
	setenv("FAMFSCTL_POLICY_DIR", pdir, 1);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct fc_policy *p;

		snprintf(path, sizeof(path), "%s/%s.conf", pdir, names[i]);
		if (fc_policy_load(ctx, path, 0, &p) < 0)
			fail_msg("%s: %s", names[i], logbuf);
		fc_policy_unref(p);
	}
	setenv("FAMFSCTL_POLICY_DIR", dir, 1);
	fc_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_minimal_policy_gets_every_default),
		cmocka_unit_test(every_key_is_parsed),
		cmocka_unit_test(old_mount_mode_names_load_with_a_notice),
		cmocka_unit_test(count_defaults_to_the_devices_listed),
		cmocka_unit_test(strips_default_caps_at_sixteen),
		cmocka_unit_test(durations_take_units),
		cmocka_unit_test(defaults_file_is_merged_under_the_policy),
		cmocka_unit_test(fabric_none_is_a_client_without_fabric_manager),
		cmocka_unit_test(errors_in_the_defaults_file_name_it),
		cmocka_unit_test(each_bad_value_is_named_with_file_line_and_key),
		cmocka_unit_test(missing_and_conflicting_keys_are_errors),
		cmocka_unit_test(unknown_keys_sections_and_duplicates_are_errors),
		cmocka_unit_test(syntax_errors_are_all_reported),
		cmocka_unit_test(every_problem_in_a_file_is_reported),
		cmocka_unit_test(overlong_lines_are_refused),
		cmocka_unit_test(comments_and_blank_lines_are_ignored),
		cmocka_unit_test(names_and_paths_are_resolved),
		cmocka_unit_test(files_others_can_write_are_refused),
		cmocka_unit_test(shipped_examples_are_valid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
