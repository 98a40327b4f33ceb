// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The `exec` fabric plugin (`exec:PROGRAM`): each FM-API request runs
 * PROGRAM OP with the request as JSON on stdin and takes its reply as JSON
 * from stdout -- fabric-manager scripting without writing a plugin. The
 * protocol is famfsctl-exec(7); the codec is fm-json.c.
 *
 * A program that does not answer within $FAMFSCTL_EXEC_TIMEOUT seconds
 * (default 30) is killed with its process group (-ETIMEDOUT); one that
 * exits non-zero or dies gives -EIO; an unusable reply -EPROTO: not one
 * JSON value, anything but white space after it, or more than
 * EXEC_REPLY_MAX bytes (the program is then killed). Each is logged naming
 * the program and the op.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <famfsctl/plugin.h>
#include "proto/fm-json.h"
#include "util/fs.h"
#include "util/text.h"

/* The largest reply taken: a tags page of 64 entries is ~10 KiB. */
#define EXEC_REPLY_MAX (16u << 20)

struct ex {
	const struct famfsctl_plugin_host *host;
	char *prog;
	int timeout_ms;
};

#define elog(x, prio, ...)                                                   \
	do {                                                                 \
		if ((x)->host && (x)->host->log)                             \
			(x)->host->log((x)->host->priv, (prio), __VA_ARGS__);\
	} while (0)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ex_open(const struct famfsctl_plugin_host *host, const char *arg, void **h)
{
	struct ex *x = calloc(1, sizeof(*x));
	const char *t = getenv("FAMFSCTL_EXEC_TIMEOUT");
	struct stat st;
	char *end;
	double secs = 30;

	if (!x)
		return -ENOMEM;
	x->host = host;
	if (!arg || arg[0] != '/') {
		elog(x, LOG_ERR, "exec: '%s': give the program as an absolute path (exec:/path/to/program)\n",
		     arg ? arg : "");
		free(x);
		return -EINVAL;
	}
	if (stat(arg, &st) < 0) {
		int rc = -errno;

		elog(x, LOG_ERR, "exec: %s: %s\n", arg,
		     rc == -ENOENT ? "no such program" : strerror(-rc));
		free(x);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || access(arg, X_OK) < 0) {
		elog(x, LOG_ERR, "exec: %s: not an executable file\n", arg);
		free(x);
		return -EACCES;
	}
	/* as root, run only a program nobody else can replace */
	if (geteuid() == 0) {
		char why[PATH_MAX + 64];

		if (util_check_trusted(arg, why, sizeof(why)) < 0) {
			elog(x, LOG_ERR, "exec: refusing to run %s as root: %s\n", arg, why);
			free(x);
			return -EPERM;
		}
	}
	if (t && *t) {
		secs = strtod(t, &end);
		if (*end || secs <= 0 || secs > 86400) {
			elog(x, LOG_ERR, "exec: FAMFSCTL_EXEC_TIMEOUT='%s' is not a number of seconds\n", t);
			free(x);
			return -EINVAL;
		}
	}
	x->timeout_ms = (int)(secs * 1000);
	x->prog = strdup(arg);
	if (!x->prog) {
		free(x);
		return -ENOMEM;
	}
	*h = x;
	return 0;
}

static void ex_close(void *h)
{
	struct ex *x = h;

	free(x->prog);
	free(x);
}

/* The reply: one JSON value and nothing after it but white space. */
static int parse_reply(struct ex *x, const char *op, const char *out, size_t got,
		       json_object **reply)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr = json_tokener_error_parse_eof;
	size_t end = 0;

	if (!tok)
		return -ENOMEM;
	if (strlen(out) != got) {
		json_tokener_free(tok);
		elog(x, LOG_ERR, "exec %s %s: the reply is not JSON: a NUL byte at offset %zu\n",
		     x->prog, op, strlen(out));
		return -EPROTO;
	}
	*reply = got ? json_tokener_parse_ex(tok, out, (int)got) : NULL;
	if (*reply) {
		end = json_tokener_get_parse_end(tok);
		while (end < got && strchr(" \t\r\n", out[end]))
			end++;
	} else if (got) {
		jerr = json_tokener_get_error(tok);
		if (jerr == json_tokener_continue)
			jerr = json_tokener_error_parse_eof;
	}
	json_tokener_free(tok);
	if (!*reply) {
		elog(x, LOG_ERR, "exec %s %s: the reply is not JSON: %s\n", x->prog, op,
		     got ? json_tokener_error_desc(jerr) : "nothing on stdout");
		return -EPROTO;
	}
	if (end < got) {
		elog(x, LOG_ERR,
		     "exec %s %s: the reply is not JSON: more after the JSON value (offset %zu of %zu)\n",
		     x->prog, op, end, got);
		json_object_put(*reply);
		*reply = NULL;
		return -EPROTO;
	}
	return 0;
}

/*
 * Run PROGRAM OP with `req` on stdin; on 0 or an FM status *reply holds
 * the reply. stdin is a socket so a program that does not read it cannot
 * kill us with SIGPIPE (send with MSG_NOSIGNAL).
 */
static int run(struct ex *x, const char *op, json_object *req, json_object **reply)
{
	/* valid UTF-8 for the program, whatever bytes names held */
	char *text = util_utf8_dup(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	size_t tlen = text ? strlen(text) : 0, sent = 0, got = 0, cap = 4096;
	char *out = malloc(cap), why[FMJ_WHY_MAX];
	int in[2] = { -1, -1 }, so[2] = { -1, -1 }, status, rc = 0, frc;
	int64_t deadline = now_ms() + x->timeout_ms;
	const char *msg;
	bool timed_out = false, too_big = false;
	pid_t pid;

	*reply = NULL;
	if (!text || !out || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
	    pipe2(so, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (dup2(in[1], 0) < 0 || dup2(so[1], 1) < 0)
			_exit(127);
		execl(x->prog, x->prog, op, (char *)NULL);
		_exit(127);
	}
	close(in[1]);
	close(so[1]);
	in[1] = so[1] = -1;
	fcntl(in[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = { { .fd = so[0], .events = POLLIN },
				       { .fd = in[0], .events = POLLOUT } };
		int64_t left = deadline - now_ms();
		int n;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		n = poll(p, sent < tlen && in[0] >= 0 ? 2 : 1, (int)left);
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (n <= 0)
			continue;
		if (sent < tlen && in[0] >= 0 && p[1].revents) {
			ssize_t w = send(in[0], text + sent, tlen - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w > 0)
				sent += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				sent = tlen; /* it stopped reading: its reply will tell */
			if (sent == tlen) {
				shutdown(in[0], SHUT_WR);
			}
		}
		if (p[0].revents) {
			ssize_t r;

			if (got >= EXEC_REPLY_MAX) {
				too_big = true; /* never an endless read */
				break;
			}
			if (got + 1 >= cap) {
				char *bigger = realloc(out, cap * 2);

				if (!bigger) {
					rc = -ENOMEM;
					break;
				}
				out = bigger;
				cap *= 2;
			}
			r = read(so[0], out + got, cap - got - 1);
			if (r == 0)
				break;
			if (r > 0)
				got += (size_t)r;
			else if (errno != EINTR && errno != EAGAIN) {
				rc = -errno;
				break;
			}
		}
	}
	if (timed_out || rc || too_big) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	/* stdout closed: the program is exiting; wait, but not past the deadline */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() >= deadline && !timed_out) {
			timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		usleep(1000);
	}
	if (timed_out) {
		elog(x, LOG_ERR, "exec %s %s: no reply within %.1f s (killed)\n", x->prog, op,
		     x->timeout_ms / 1000.0);
		rc = -ETIMEDOUT;
		goto out;
	}
	if (rc)
		goto out;
	if (too_big) {
		elog(x, LOG_ERR, "exec %s %s: the reply exceeds %u MiB (killed)\n", x->prog, op,
		     EXEC_REPLY_MAX >> 20);
		rc = -EPROTO;
		goto out;
	}
	if (WIFSIGNALED(status)) {
		elog(x, LOG_ERR, "exec %s %s: killed by signal %d\n", x->prog, op, WTERMSIG(status));
		rc = -EIO;
		goto out;
	}
	if (WEXITSTATUS(status)) {
		elog(x, LOG_ERR, "exec %s %s: exited with status %d%s\n", x->prog, op,
		     WEXITSTATUS(status), WEXITSTATUS(status) == 127 ? " (could not run it?)" : "");
		rc = -EIO;
		goto out;
	}
	out[got] = '\0';
	rc = parse_reply(x, op, out, got, reply);
	if (rc < 0)
		goto out;
	frc = 0;
	if (fmj_reply_check(*reply, &frc, &msg, why, sizeof(why)) < 0) {
		elog(x, LOG_ERR, "exec %s %s: bad reply: %s\n", x->prog, op, why);
		rc = -EPROTO;
		goto out;
	}
	if (frc && msg)
		elog(x, LOG_ERR, "%s\n", msg);
	rc = frc;
out:
	if (rc < 0 && *reply) {
		json_object_put(*reply);
		*reply = NULL;
	}
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (so[i] >= 0)
			close(so[i]);
	}
	free(out);
	free(text);
	return rc;
}

/* Run, then decode the payload of a successful reply with `decode`. */
#define CALL_DECODE(x, op, req, decode_expr)                                  \
	({                                                                   \
		json_object *reply_;                                         \
		char why_[FMJ_WHY_MAX];                                      \
		int rc_ = run((x), (op), (req), &reply_);                    \
		json_object_put(req);                                        \
		if (rc_ == 0) {                                              \
			json_object *o = reply_;                             \
			char *why = why_;                                    \
			size_t wlen = sizeof(why_);                          \
			if ((decode_expr) < 0) {                             \
				elog((x), LOG_ERR, "exec %s %s: bad reply: %s\n", \
				     (x)->prog, (op), why_);                 \
				rc_ = -EPROTO;                               \
			}                                                    \
			(void)o; (void)why; (void)wlen;                      \
		}                                                            \
		json_object_put(reply_);                                     \
		rc_;                                                         \
	})

static int ex_fabric(void *h, struct famfsctl_fm_fabric *out)
{
	json_object *req = fmj_request_new("fabric", 0);

	return CALL_DECODE((struct ex *)h, "fabric", req, fmj_fabric_from(o, out, why, wlen));
}

static int ex_dcd_info(void *h, uint32_t dev, struct famfsctl_fm_dcd_info *out)
{
	json_object *req = fmj_request_new("dcd_info", dev);

	return CALL_DECODE((struct ex *)h, "dcd_info", req,
			   fmj_dcd_info_from(o, out, why, wlen));
}

static int ex_region_config(void *h, uint32_t dev, uint16_t host,
			    struct famfsctl_fm_region *out, uint8_t *n)
{
	json_object *req = fmj_request_new("region_config", dev);

	fmj_put_u64(req, "host", host);
	return CALL_DECODE((struct ex *)h, "region_config", req,
			   fmj_regions_from(o, out, n, why, wlen));
}

static int ex_set_region_config(void *h, uint32_t dev,
				const struct famfsctl_fm_region_set *s)
{
	json_object *req = fmj_request_new("set_region_config", dev);

	fmj_put_u64(req, "region", s->region);
	fmj_put_u64(req, "block_size", s->block_size);
	json_object_object_add(req, "sanitize_on_release",
			       json_object_new_boolean(s->sanitize_on_release));
	return CALL_DECODE((struct ex *)h, "set_region_config", req, 0);
}

static int ex_extents(void *h, uint32_t dev, uint16_t host, struct famfsctl_fm_page *p,
		      struct famfsctl_fm_extent *out)
{
	json_object *req = fmj_request_new("extents", dev);

	fmj_put_u64(req, "host", host);
	fmj_put_u64(req, "start", p->start);
	fmj_put_u64(req, "max", p->max);
	return CALL_DECODE((struct ex *)h, "extents", req,
			   fmj_extent_page_from(o, p, out, why, wlen));
}

static int ex_add(void *h, uint32_t dev, const struct famfsctl_fm_add *a)
{
	json_object *req = fmj_add_to(dev, a);

	return CALL_DECODE((struct ex *)h, "add", req, 0);
}

static int ex_release(void *h, uint32_t dev, const struct famfsctl_fm_release *r)
{
	json_object *req = fmj_release_to(dev, r);

	return CALL_DECODE((struct ex *)h, "release", req, 0);
}

static int ex_ref(void *h, const char *op, uint32_t dev, const uuid_t tag)
{
	json_object *req = fmj_request_new(op, dev);

	fmj_put_tag(req, "tag", tag);
	return CALL_DECODE((struct ex *)h, op, req, 0);
}

static int ex_add_ref(void *h, uint32_t dev, const uuid_t tag)
{
	return ex_ref(h, "add_ref", dev, tag);
}

static int ex_remove_ref(void *h, uint32_t dev, const uuid_t tag)
{
	return ex_ref(h, "remove_ref", dev, tag);
}

static int ex_tags(void *h, uint32_t dev, struct famfsctl_fm_page *p,
		   struct famfsctl_fm_tag *out)
{
	json_object *req = fmj_request_new("tags", dev);

	fmj_put_u64(req, "start", p->start);
	fmj_put_u64(req, "max", p->max);
	return CALL_DECODE((struct ex *)h, "tags", req, fmj_tag_page_from(o, p, out, why, wlen));
}

__attribute__((visibility("default")))
const struct famfsctl_plugin famfsctl_plugin = {
	.version = FAMFSCTL_PLUGIN_VERSION,
	.name = "exec",
	.description = "an external program speaking JSON (exec:PROGRAM, famfsctl-exec(7))",
	.open = ex_open,
	.close = ex_close,
	.fabric = ex_fabric,
	.dcd_info = ex_dcd_info,
	.region_config = ex_region_config,
	.set_region_config = ex_set_region_config,
	.extents = ex_extents,
	.add = ex_add,
	.release = ex_release,
	.add_ref = ex_add_ref,
	.remove_ref = ex_remove_ref,
	.tags = ex_tags,
};
