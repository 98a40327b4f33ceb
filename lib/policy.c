// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Policy files: INI parsed with libinih, the defaults file
 * (DIR/famfsctl.conf) merged under one policy (DIR/policies.d/NAME.conf),
 * every key validated, every problem reported as FILE:LINE: [section] key:
 * what is wrong -- all of them, not just the first.
 *
 * Debian's libinih is built without line numbers in the handler, so the
 * reader below counts lines itself and also catches the syntax errors inih
 * would only report the first of.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <ini.h>
#include <json-c/json.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/private.h"
#include "lib/policy.h"
#include "util/arith.h"
#include "util/string.h"

#define INI_LINE_MAX 200 /* Debian's libinih: INI_MAX_LINE, stack buffer */

struct parse;
struct key;
typedef const char *(*parse_fn)(struct parse *ps, const struct key *k,
				void *field, const char *val);

struct key {
	const char *section, *name;
	parse_fn parse;
	size_t off;
	long long min, max; /* integer keys */
};

/* Where each key was last set: for duplicate and validation messages. */
struct where {
	const char *file;
	int line;
};

struct parse {
	struct fc_ctx *ctx;
	struct fc_policy *p;
	const char *file;
	FILE *f;
	int line;        /* the line the reader last returned */
	bool line_done;  /* the last chunk ended its line */
	int errors;
	struct where *set; /* per key, across files */
	bool *bad;         /* per key: a value was refused (no follow-on checks) */
	int *set_here;     /* per key, this file only: line, for duplicates */
	char msg[160];
};

static void problem_at(struct parse *ps, const char *file, int line,
		       const char *section, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void problem_at(struct parse *ps, const char *file, int line,
		       const char *section, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ps->errors++;
	if (line > 0 && key)
		err(ps->ctx, "%s:%d: [%s] %s: %s\n", file, line, section, key, what);
	else if (line > 0)
		err(ps->ctx, "%s:%d: %s\n", file, line, what);
	else if (key)
		err(ps->ctx, "%s: [%s] %s: %s\n", file, section, key, what);
	else
		err(ps->ctx, "%s: %s\n", file, what);
}

/* ---- value parsers: NULL on success, else what is wrong ---- */

static const char *parse_str(struct parse *ps, const struct key *k, void *field,
			     const char *val)
{
	if (strlen(val) >= FC_PATH_MAX)
		return "value too long";
	util_strlcpy(field, val, FC_PATH_MAX);
	return NULL;
}

static const char *parse_uint(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-' || val[0] == '+') {
		snprintf(ps->msg, sizeof(ps->msg), "'%s' is not a whole number", val);
		return ps->msg;
	}
	if (v < k->min || v > k->max) {
		snprintf(ps->msg, sizeof(ps->msg), "%lld is out of range %lld..%lld",
			 v, k->min, k->max);
		return ps->msg;
	}
	*(unsigned int *)field = (unsigned int)v;
	return NULL;
}

static const char *parse_size(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	uint64_t v;

	if (fc_parse_size(val, &v) < 0) {
		snprintf(ps->msg, sizeof(ps->msg),
			 "'%s' is not a size (examples: 64G, 512M, 2MiB)", val);
		return ps->msg;
	}
	if (v == 0)
		return "must not be zero";
	*(uint64_t *)field = v;
	return NULL;
}

static const char *parse_bool(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(val, yes[i])) {
			*(bool *)field = true;
			return NULL;
		}
		if (!strcasecmp(val, no[i])) {
			*(bool *)field = false;
			return NULL;
		}
	}
	snprintf(ps->msg, sizeof(ps->msg), "'%s' is not yes or no", val);
	return ps->msg;
}

/* "a, b,c": comma-separated, blanks trimmed, no empty entries. */
static const char *parse_list(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	struct policy_str_list *l = field, tmp = { 0 };
	const char *p = val;

	while (*p) {
		const char *comma = strchr(p, ','), *end;
		size_t len;

		end = comma ? comma : p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		len = (size_t)(end - p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (!len || tmp.n == FC_POLICY_MAX_LIST) {
			for (unsigned int i = 0; i < tmp.n; i++)
				free(tmp.v[i]);
			return len ? "too many entries (at most 64)" : "empty entry in list";
		}
		tmp.v[tmp.n++] = strndup(p, len);
		p = comma ? comma + 1 : end;
		if (comma && !*p) {
			for (unsigned int i = 0; i < tmp.n; i++)
				free(tmp.v[i]);
			return "empty entry in list";
		}
	}
	for (unsigned int i = 0; i < l->n; i++)
		free(l->v[i]);
	*l = tmp;
	return NULL;
}

static const char *parse_serials(struct parse *ps, const struct key *k,
				 void *field, const char *val)
{
	const char *e = parse_list(ps, k, field, val);
	struct policy_str_list *l = field;

	if (e)
		return e;
	for (unsigned int i = 0; i < l->n; i++) {
		char *end;

		errno = 0;
		strtoull(l->v[i], &end, 0);
		if (errno || *end || l->v[i][0] == '-') {
			snprintf(ps->msg, sizeof(ps->msg), "'%s' is not a serial number",
				 l->v[i]);
			return ps->msg;
		}
	}
	return NULL;
}

static const char *parse_numa(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	if (!strcasecmp(val, "any")) {
		*(int *)field = -1;
		return NULL;
	}
	return parse_uint(ps, k, field, val);
}

static const char *parse_role(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	if (!strcmp(val, "master"))
		*(enum policy_role *)field = FC_ROLE_MASTER;
	else if (!strcmp(val, "client"))
		*(enum policy_role *)field = FC_ROLE_CLIENT;
	else
		return "must be master or client";
	return NULL;
}

static const char *mount_mode_names[] = { "auto", "portable", "famfs" };

/*
 * The names before famfsctl's modes were renamed: famfsctl's "fuse" (its
 * own server) was easily taken for famfs's "fuse" mode (famfs's kernel-
 * assisted path), so it is "portable" now, and "kernel" is "famfs".
 */
static const struct {
	const char *old;
	enum policy_mount_mode mode;
} mount_mode_old[] = { { "fuse", FC_MOUNT_PORTABLE }, { "kernel", FC_MOUNT_FAMFS } };

static const char *parse_mount_mode(struct parse *ps, const struct key *k,
				    void *field, const char *val)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_mode_names); i++)
		if (!strcmp(val, mount_mode_names[i])) {
			*(enum policy_mount_mode *)field = (enum policy_mount_mode)i;
			return NULL;
		}
	for (size_t i = 0; i < ARRAY_SIZE(mount_mode_old); i++)
		if (!strcmp(val, mount_mode_old[i].old)) {
			*(enum policy_mount_mode *)field = mount_mode_old[i].mode;
			warn(ps->ctx, "%s:%d: [famfs] mount_mode: '%s' is deprecated; it is now '%s'\n",
			     ps->file, ps->line, val, mount_mode_names[mount_mode_old[i].mode]);
			return NULL;
		}
	return "must be auto, portable or famfs";
}

static const char *parse_uid(struct parse *ps, const struct key *k, void *field,
			     const char *val)
{
	struct passwd *pw;

	if (isdigit((unsigned char)val[0]))
		return parse_uint(ps, k, field, val);
	pw = getpwnam(val);
	if (!pw) {
		snprintf(ps->msg, sizeof(ps->msg), "no user '%s'", val);
		return ps->msg;
	}
	*(uid_t *)field = pw->pw_uid;
	return NULL;
}

static const char *parse_gid(struct parse *ps, const struct key *k, void *field,
			     const char *val)
{
	struct group *gr;

	if (isdigit((unsigned char)val[0]))
		return parse_uint(ps, k, field, val);
	gr = getgrnam(val);
	if (!gr) {
		snprintf(ps->msg, sizeof(ps->msg), "no group '%s'", val);
		return ps->msg;
	}
	*(gid_t *)field = gr->gr_gid;
	return NULL;
}

static const char *parse_mode(struct parse *ps, const struct key *k, void *field,
			      const char *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 8);
	if (errno || end == val || *end || v > 07777) {
		snprintf(ps->msg, sizeof(ps->msg), "'%s' is not an octal mode (e.g. 0755)",
			 val);
		return ps->msg;
	}
	*(unsigned int *)field = (unsigned int)v;
	return NULL;
}

/* "30s", "500ms", "5m", "1h", or plain seconds. */
static const char *parse_duration(struct parse *ps, const struct key *k,
				  void *field, const char *val)
{
	char *end;
	unsigned long long v, mult = 1000;

	errno = 0;
	v = strtoull(val, &end, 10);
	if (errno || end == val || val[0] == '-')
		goto bad;
	if (!strcmp(end, "ms"))
		mult = 1;
	else if (!strcmp(end, "m"))
		mult = 60000;
	else if (!strcmp(end, "h"))
		mult = 3600000;
	else if (*end && strcmp(end, "s"))
		goto bad;
	if (v == 0 || v > 86400000ULL / mult)
		return "must be between 1ms and 24h";
	*(unsigned int *)field = (unsigned int)(v * mult);
	return NULL;
bad:
	snprintf(ps->msg, sizeof(ps->msg),
		 "'%s' is not a duration (examples: 500ms, 30s, 5m)", val);
	return ps->msg;
}

#define F(field) offsetof(struct fc_policy, field)
static const struct key keys[] = {
	{ "policy", "description", parse_str, F(description), 0, 0 },
	{ "fabric", "uri", parse_str, F(fabric), 0, 0 },
	{ "fabric", "host_id", parse_uint, F(host_id), 0, 65535 },
	{ "members", "memdevs", parse_list, F(memdevs), 0, 0 },
	{ "members", "serials", parse_serials, F(serials), 0, 0 },
	{ "members", "ports", parse_list, F(ports), 0, 0 },
	{ "members", "numa_node", parse_numa, F(numa_node), 0, 4095 },
	{ "members", "count", parse_uint, F(count), 1, FC_MAX_MEMBERS },
	{ "capacity", "total_size", parse_size, F(total_size), 0, 0 },
	{ "capacity", "member_size", parse_size, F(member_size), 0, 0 },
	{ "interleave", "chunk", parse_size, F(chunk), 0, 0 },
	{ "interleave", "strips", parse_uint, F(strips), 1, FC_MAX_STRIPS },
	{ "sharing", "shared", parse_bool, F(shared), 0, 0 },
	{ "sharing", "role", parse_role, F(role), 0, 0 },
	{ "sharing", "sanitize_on_release", parse_bool, F(sanitize_on_release), 0, 0 },
	{ "famfs", "log_size", parse_size, F(log_size), 0, 0 },
	{ "famfs", "mount_point", parse_str, F(mount_point), 0, 0 },
	{ "famfs", "mount_mode", parse_mount_mode, F(mount_mode), 0, 0 },
	{ "famfs", "root_uid", parse_uid, F(root_uid), 0, 0x7fffffff },
	{ "famfs", "root_gid", parse_gid, F(root_gid), 0, 0x7fffffff },
	{ "famfs", "root_mode", parse_mode, F(root_mode), 0, 0 },
	{ "famfs", "copy_threads", parse_uint, F(copy_threads), 1, 64 },
	{ "famfs", "refresh_interval", parse_duration, F(refresh_ms), 0, 0 },
	{ "udev", "auto_setup", parse_bool, F(auto_setup), 0, 0 },
	{ "udev", "tag_patterns", parse_list, F(tag_patterns), 0, 0 },
};
#undef F
#define NKEYS ARRAY_SIZE(keys)

static int key_index(const char *section, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			return (int)i;
	return -1;
}

static bool known_section(const char *section)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section))
			return true;
	return false;
}

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct parse *ps = user;
	int i = key_index(section, name);
	const char *why;

	if (!*section) {
		problem_at(ps, ps->file, ps->line, "", name,
			   "key outside any [section]");
		return 1;
	}
	if (i < 0) {
		if (known_section(section))
			problem_at(ps, ps->file, ps->line, section, name, "unknown key");
		else
			problem_at(ps, ps->file, ps->line, section, name,
				   "unknown section [%s]", section);
		return 1;
	}
	if (ps->set_here[i]) {
		problem_at(ps, ps->file, ps->line, section, name,
			   "given twice (first on line %d)", ps->set_here[i]);
		return 1;
	}
	ps->set_here[i] = ps->line;
	why = keys[i].parse(ps, &keys[i], (char *)ps->p + keys[i].off, value);
	if (why) {
		problem_at(ps, ps->file, ps->line, section, name, "%s", why);
		ps->bad[i] = true;
		return 1;
	}
	ps->set[i].file = ps->file;
	ps->set[i].line = ps->line;
	return 1;
}

/* Syntax: blank, comment, [section], or key = value / key: value. */
static void check_syntax(struct parse *ps, const char *line)
{
	const char *p = line;
	size_t len;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == ';' || *p == '#')
		return;
	if (p != line) {
		problem_at(ps, ps->file, ps->line, NULL, NULL,
			   "indented line: continuation lines are not supported");
		return;
	}
	len = strlen(p);
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (*p == '[') {
		if (!memchr(p, ']', len))
			problem_at(ps, ps->file, ps->line, NULL, NULL,
				   "section header without ']'");
		return;
	}
	if (!strpbrk(p, "=:") || *p == '=' || *p == ':')
		problem_at(ps, ps->file, ps->line, NULL, NULL,
			   "expected 'key = value' or '[section]'");
}

/* inih's reader: one line per call, counted, syntax-checked. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	size_t len;

	if (!fgets(str, num, ps->f))
		return NULL;
	len = strlen(str);
	if (ps->line_done)
		ps->line++;
	ps->line_done = len && str[len - 1] == '\n';
	if (!ps->line_done && !feof(ps->f)) {
		int c;

		problem_at(ps, ps->file, ps->line, NULL, NULL,
			   "line longer than %d characters", INI_LINE_MAX - 1);
		/* drop the rest of the line; inih sees it as a comment */
		while ((c = fgetc(ps->f)) != EOF && c != '\n')
			;
		ps->line_done = true;
		str[0] = ';';
		str[1] = '\0';
		return str;
	}
	check_syntax(ps, str);
	return str;
}

/* As root, a policy anyone but root can write would let them run as root. */
static int check_owner(struct parse *ps, int fd, bool strict)
{
	struct stat st;

	if (!strict && geteuid() != 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid != 0) {
		problem_at(ps, ps->file, 0, NULL, NULL,
			   "refused: owned by uid %u, not root", (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		problem_at(ps, ps->file, 0, NULL, NULL,
			   "refused: writable by group or others (mode %04o)",
			   (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

static int parse_stream(struct parse *ps, FILE *f, const char *file)
{
	int set_here[NKEYS] = { 0 };
	int errors = ps->errors;

	ps->file = file;
	ps->f = f;
	ps->line = 0;
	ps->line_done = true;
	ps->set_here = set_here;
	ini_parse_stream(read_line, ps, on_key, ps);
	ps->set_here = NULL;
	return ps->errors > errors ? -EINVAL : 0;
}

static int parse_file(struct parse *ps, const char *path, bool optional,
		      bool strict_perms)
{
	FILE *f = fopen(path, "re");
	int rc;

	if (!f) {
		if (optional && errno == ENOENT)
			return 0;
		rc = -errno;
		problem_at(ps, path, 0, NULL, NULL, "cannot open: %s", strerror(errno));
		return rc;
	}
	ps->file = path;
	rc = check_owner(ps, fileno(f), strict_perms);
	if (rc == 0)
		rc = parse_stream(ps, f, path);
	fclose(f);
	return rc;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static const struct where *where_of(struct parse *ps, const char *section,
				    const char *name)
{
	return &ps->set[key_index(section, name)];
}

#define BAD(ps, section, name) ((ps)->bad[key_index(section, name)])

/*
 * Report a validation problem at the place the key was set -- unless its
 * value was already refused, which said all there is to say about it.
 */
#define INVALID(ps, section, name, ...)                                     \
	do {                                                                \
		const struct where *w_ = where_of(ps, section, name);       \
		if (BAD(ps, section, name))                                 \
			break;                                              \
		problem_at(ps, w_->file ? w_->file : (ps)->p->path, w_->line, \
			   section, name, __VA_ARGS__);                     \
	} while (0)
#define IS_SET(ps, section, name) (where_of(ps, section, name)->line > 0)

static void apply_defaults_and_validate(struct parse *ps)
{
	struct fc_policy *p = ps->p;
	const char *uri = p->fabric;
	size_t name_len = strspn(uri, "abcdefghijklmnopqrstuvwxyz0123456789_-");
	/* none, sim (the per-user simulator) or PLUGIN:ARG; whether the plugin
	 * is installed is policy check's question (fc_fabric_check_uri) */
	bool uri_ok = !*uri || !strcmp(uri, "none") || !strcmp(uri, "sim") ||
		      (name_len && name_len <= 32 && uri[name_len] == ':' && uri[name_len + 1]);
	uint64_t total;

	if (!uri_ok)
		INVALID(ps, "fabric", "uri",
			"'%s' is not PLUGIN:ARG (sim:DIR, exec:PROGRAM), sim or none", uri);

	if (!p->count)
		p->count = p->memdevs.n ? p->memdevs.n : p->serials.n;
	if (!p->count)
		INVALID(ps, "members", "count",
			"required: how many memory devices form the set (or list them in memdevs)");
	if (p->memdevs.n && p->count > p->memdevs.n)
		INVALID(ps, "members", "count", "%u members but only %u memdevs listed",
			p->count, p->memdevs.n);
	if (p->serials.n && p->count > p->serials.n)
		INVALID(ps, "members", "count", "%u members but only %u serials listed",
			p->count, p->serials.n);

	if (p->total_size && p->member_size)
		INVALID(ps, "capacity", "member_size",
			"conflicts with total_size (%s:%d): give one of them",
			where_of(ps, "capacity", "total_size")->file,
			where_of(ps, "capacity", "total_size")->line);
	else if (!p->total_size && !p->member_size && !BAD(ps, "capacity", "member_size"))
		INVALID(ps, "capacity", "total_size", "required: total_size or member_size");
	if (p->member_size && p->count && util_mul_u64(p->member_size, p->count, &total) < 0) {
		char sz[FC_SIZE_STR_MAX];

		INVALID(ps, "capacity", "member_size",
			"%s (%llu bytes) times %u members is too large: the total passes 2^64 bytes",
			fc_format_size(p->member_size, sz, sizeof(sz)),
			(unsigned long long)p->member_size, p->count);
	}
	if (p->total_size % FC_POLICY_MIN_CHUNK)
		INVALID(ps, "capacity", "total_size", "must be a multiple of 2 MiB");
	if (p->member_size % FC_POLICY_MIN_CHUNK)
		INVALID(ps, "capacity", "member_size", "must be a multiple of 2 MiB");

	if (!p->chunk)
		p->chunk = FC_POLICY_MIN_CHUNK;
	if (!is_pow2(p->chunk) || p->chunk < FC_POLICY_MIN_CHUNK)
		INVALID(ps, "interleave", "chunk",
			"must be a power-of-two multiple of 2 MiB (2M, 4M, 8M, ...)");
	if (!p->strips && p->count)
		p->strips = p->count < FC_MAX_STRIPS ? p->count : FC_MAX_STRIPS;
	if (p->count && p->strips > p->count)
		INVALID(ps, "interleave", "strips", "%u strips but only %u members",
			p->strips, p->count);

	if (p->role == FC_ROLE_CLIENT && !p->shared)
		INVALID(ps, "sharing", "role",
			"client needs shared = yes (a client mounts capacity another host formatted)");

	if (!p->log_size)
		p->log_size = FC_POLICY_MIN_LOG;
	if (!is_pow2(p->log_size) || p->log_size < FC_POLICY_MIN_LOG)
		INVALID(ps, "famfs", "log_size", "must be a power of two of at least 8 MiB");
	if (!p->mount_point[0])
		snprintf(p->mount_point, sizeof(p->mount_point), "/mnt/famfs/%s", p->name);
	else if (p->mount_point[0] != '/')
		INVALID(ps, "famfs", "mount_point", "'%s' is not an absolute path",
			p->mount_point);
	if (!IS_SET(ps, "famfs", "root_mode"))
		p->root_mode = 0755;
	if (!p->copy_threads)
		p->copy_threads = 4;
	if (!p->refresh_ms)
		p->refresh_ms = 10000;
	for (unsigned int i = 0; i < p->tag_patterns.n; i++)
		if (strlen(p->tag_patterns.v[i]) > 36)
			INVALID(ps, "udev", "tag_patterns",
				"'%s' is longer than a UUID", p->tag_patterns.v[i]);
}

static bool valid_name(const char *name)
{
	if (!*name || strlen(name) >= FC_NAME_MAX || name[0] == '.')
		return false;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return false;
	return true;
}

static const char *policy_dir(void)
{
	const char *dir = getenv("FAMFSCTL_POLICY_DIR");

	return dir && *dir ? dir : POLICYDIR;
}

static void policy_free(struct fc_policy *p)
{
	struct policy_str_list *lists[] = { &p->memdevs, &p->serials, &p->ports,
					&p->tag_patterns };

	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		for (unsigned int i = 0; i < lists[l]->n; i++)
			free(lists[l]->v[i]);
	fc_unref(p->ctx);
	free(p);
}

static struct fc_policy *policy_new(struct fc_ctx *ctx)
{
	struct fc_policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->refcount = 1;
	p->ctx = fc_ref(ctx);
	p->numa_node = -1;
	p->sanitize_on_release = true; /* what is given back is erased */
	return p;
}

/*
 * This host's configured fabric: [fabric] uri and host_id of
 * DIR/famfsctl.conf (uri "" when the file or the key is absent). As root the
 * file must be root's and writable by nobody else, as policies are.
 */
int policy_config_fabric(struct fc_ctx *ctx, char *uri, size_t len, unsigned int *host_id)
{
	struct where set[NKEYS] = { { 0 } };
	bool bad[NKEYS] = { false };
	struct parse ps = { .ctx = ctx, .set = set, .bad = bad };
	char defaults[FC_PATH_MAX];
	int rc;

	ps.p = policy_new(ctx);
	if (!ps.p)
		return -ENOMEM;
	snprintf(defaults, sizeof(defaults), "%s/famfsctl.conf", policy_dir());
	util_set(ps.p->path, defaults);
	rc = parse_file(&ps, defaults, true, false);
	if (rc == 0 && ps.errors)
		rc = -EINVAL;
	if (rc == 0) {
		snprintf(uri, len, "%s", ps.p->fabric);
		*host_id = ps.p->host_id;
	}
	policy_free(ps.p);
	return rc;
}

/*
 * Load: DEFAULTS (optional) then the policy, into one struct; validate.
 * `spec` is a path (has a '/') or a NAME under DIR/policies.d/.
 */
FC_EXPORT int fc_policy_load(struct fc_ctx *ctx, const char *spec,
			     unsigned long flags, struct fc_policy **out)
{
	struct where set[NKEYS] = { { 0 } };
	bool bad[NKEYS] = { false };
	struct parse ps = { .ctx = ctx, .set = set, .bad = bad };
	char path[FC_PATH_MAX], defaults[FC_PATH_MAX];
	bool strict = flags & FC_POLICY_STRICT_PERMS;
	const char *base, *dot;
	int rc, file_rc = 0;

	if (!spec || !*spec) {
		err(ctx, "no policy named\n");
		return -EINVAL;
	}
	if (strchr(spec, '/')) {
		util_set(path, spec);
	} else if (valid_name(spec)) {
		snprintf(path, sizeof(path), "%s/policies.d/%s.conf", policy_dir(), spec);
	} else {
		err(ctx, "'%s' is neither a policy name ([A-Za-z0-9_.-]) nor a path\n", spec);
		return -EINVAL;
	}
	ps.p = policy_new(ctx);
	if (!ps.p)
		return -ENOMEM;
	util_set(ps.p->path, path);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	snprintf(ps.p->name, sizeof(ps.p->name), "%.*s",
		 (int)(dot && !strcmp(dot, ".conf") ? dot - base : (long)strlen(base)), base);

	/* Keep a file-level errno (ENOENT, EPERM) over the generic EINVAL. */
	if (!(flags & FC_POLICY_NO_DEFAULTS)) {
		snprintf(defaults, sizeof(defaults), "%s/famfsctl.conf", policy_dir());
		rc = parse_file(&ps, defaults, true, strict);
		if (rc < 0 && rc != -EINVAL)
			file_rc = rc;
	}
	rc = parse_file(&ps, path, false, strict);
	if (rc < 0 && rc != -EINVAL && !file_rc)
		file_rc = rc;
	/* a file that could not be read says all there is to say */
	if (!file_rc)
		apply_defaults_and_validate(&ps);
	rc = file_rc ? file_rc : ps.errors ? -EINVAL : 0;
	if (rc < 0) {
		err(ctx, "policy %s: %d problem%s\n", ps.p->name, ps.errors,
		    ps.errors == 1 ? "" : "s");
		policy_free(ps.p);
		return rc;
	}
	*out = ps.p;
	return 0;
}

/* Parse a policy held in memory (fuzzing, tests). No defaults file. */
FC_EXPORT int fc_policy_parse_buffer(struct fc_ctx *ctx, const char *name,
				     const char *buf, size_t len,
				     struct fc_policy **out)
{
	struct where set[NKEYS] = { { 0 } };
	bool bad[NKEYS] = { false };
	struct parse ps = { .ctx = ctx, .set = set, .bad = bad };
	FILE *f;

	if (!valid_name(name))
		return -EINVAL;
	if (!len) /* fmemopen refuses a zero-length buffer */
		buf = "", len = 1;
	f = fmemopen((void *)buf, len, "r");
	if (!f)
		return -errno;
	ps.p = policy_new(ctx);
	if (!ps.p) {
		fclose(f);
		return -ENOMEM;
	}
	util_set(ps.p->name, name);
	util_set(ps.p->path, name);
	parse_stream(&ps, f, name);
	fclose(f);
	apply_defaults_and_validate(&ps);
	if (ps.errors) {
		policy_free(ps.p);
		return -EINVAL;
	}
	*out = ps.p;
	return 0;
}

FC_EXPORT struct fc_policy *fc_policy_ref(struct fc_policy *p)
{
	if (p)
		p->refcount++;
	return p;
}

FC_EXPORT void fc_policy_unref(struct fc_policy *p)
{
	if (p && --p->refcount == 0)
		policy_free(p);
}

FC_EXPORT const char *fc_policy_get_name(struct fc_policy *p)
{
	return p->name;
}

FC_EXPORT const char *fc_policy_get_path(struct fc_policy *p)
{
	return p->path;
}

FC_EXPORT const char *fc_policy_get_fabric(struct fc_policy *p)
{
	return p->fabric;
}

FC_EXPORT unsigned int fc_policy_get_host_id(struct fc_policy *p)
{
	return p->host_id;
}

FC_EXPORT unsigned int fc_policy_get_member_count(struct fc_policy *p)
{
	return p->count;
}

FC_EXPORT unsigned int fc_policy_get_copy_threads(struct fc_policy *p)
{
	return p->copy_threads;
}

FC_EXPORT const char *fc_policy_get_mount_point(struct fc_policy *p)
{
	return p->mount_point;
}

FC_EXPORT enum fc_dax_mode fc_policy_get_dax_mode(struct fc_policy *p)
{
	return p->mount_mode == FC_MOUNT_FAMFS ? FC_DAX_MODE_FAMFS : FC_DAX_MODE_DEVDAX;
}

FC_EXPORT const char *fc_policy_get_mount_mode(struct fc_policy *p)
{
	return mount_mode_names[p->mount_mode];
}

FC_EXPORT unsigned int fc_policy_get_refresh_ms(struct fc_policy *p)
{
	return p->refresh_ms;
}

FC_EXPORT uint64_t fc_policy_get_log_size(struct fc_policy *p)
{
	return p->log_size;
}

FC_EXPORT bool fc_policy_is_client(struct fc_policy *p)
{
	return p->role == FC_ROLE_CLIENT;
}

FC_EXPORT bool fc_policy_get_sanitize_on_release(struct fc_policy *p)
{
	return p->sanitize_on_release;
}

FC_EXPORT bool fc_policy_get_auto_setup(struct fc_policy *p)
{
	return p->auto_setup;
}

bool policy_matches_tag(const struct fc_policy *p, const char *tag)
{
	for (unsigned int i = 0; i < p->tag_patterns.n; i++)
		if (fnmatch(p->tag_patterns.v[i], tag, FNM_CASEFOLD) == 0)
			return true;
	return false;
}

static struct json_object *list_json(const struct policy_str_list *l)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; a && i < l->n; i++)
		json_object_array_add(a, json_object_new_string(l->v[i]));
	return a;
}

static struct json_object *section(struct json_object *o, const char *name)
{
	struct json_object *s = json_object_new_object();

	json_object_object_add(o, name, s);
	return s;
}

#define ADD(o, k, v) json_object_object_add(o, k, v)

FC_EXPORT struct json_object *fc_policy_to_json(struct fc_policy *p,
						unsigned long flags)
{
	struct json_object *o = json_object_new_object(), *s;
	char mode[8];

	if (!o)
		return NULL;
	ADD(o, "policy", json_object_new_string(p->name));
	ADD(o, "path", json_object_new_string(p->path));
	if (p->description[0])
		ADD(o, "description", json_object_new_string(p->description));
	s = section(o, "fabric");
	if (p->fabric[0])
		ADD(s, "uri", json_object_new_string(p->fabric));
	ADD(s, "host_id", json_object_new_int((int)p->host_id));
	s = section(o, "members");
	if (p->memdevs.n)
		ADD(s, "memdevs", list_json(&p->memdevs));
	if (p->serials.n)
		ADD(s, "serials", list_json(&p->serials));
	if (p->ports.n)
		ADD(s, "ports", list_json(&p->ports));
	if (p->numa_node >= 0)
		ADD(s, "numa_node", json_object_new_int(p->numa_node));
	ADD(s, "count", json_object_new_int((int)p->count));
	s = section(o, "capacity");
	if (p->total_size)
		ADD(s, "total_size", fc_json_size(p->total_size, flags));
	if (p->member_size)
		ADD(s, "member_size", fc_json_size(p->member_size, flags));
	s = section(o, "interleave");
	ADD(s, "chunk", fc_json_size(p->chunk, flags));
	ADD(s, "strips", json_object_new_int((int)p->strips));
	s = section(o, "sharing");
	ADD(s, "shared", json_object_new_boolean(p->shared));
	ADD(s, "role", json_object_new_string(p->role == FC_ROLE_CLIENT ? "client" : "master"));
	ADD(s, "sanitize_on_release", json_object_new_boolean(p->sanitize_on_release));
	s = section(o, "famfs");
	ADD(s, "log_size", fc_json_size(p->log_size, flags));
	ADD(s, "mount_point", json_object_new_string(p->mount_point));
	ADD(s, "mount_mode", json_object_new_string(mount_mode_names[p->mount_mode]));
	ADD(s, "root_uid", json_object_new_int((int)p->root_uid));
	ADD(s, "root_gid", json_object_new_int((int)p->root_gid));
	snprintf(mode, sizeof(mode), "%04o", p->root_mode);
	ADD(s, "root_mode", json_object_new_string(mode));
	ADD(s, "copy_threads", json_object_new_int((int)p->copy_threads));
	ADD(s, "refresh_interval_ms", json_object_new_int((int)p->refresh_ms));
	s = section(o, "udev");
	ADD(s, "auto_setup", json_object_new_boolean(p->auto_setup));
	ADD(s, "tag_patterns", list_json(&p->tag_patterns));
	return o;
}
