// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl-fused: the portable mount's server. It serves a famfs over an
 * interleave set (or over member paths) through libfuse3's low-level API,
 * on several threads, using only libfamfsctl's installed API (and util/'s
 * member-list parser): the tree comes
 * from the log's path index (a name is looked up once, then known by its
 * id, which the log never changes), a read is answered with the members'
 * own mappings (fc_famfs_iov() and fuse_reply_iov(): the kernel copies the
 * bytes once, straight from the shared memory into the reader's buffer),
 * a write to a logged file goes straight to the members.
 *
 * famfs files have a fixed size, set when they are logged. A file created
 * through the mount is logged when its size is known: at once when the
 * writer announces it (ftruncate, fallocate or posix_fallocate of the new,
 * empty file), then written straight to the members; otherwise its bytes
 * are buffered (in memory up to --write-buffer, in an unlinked temporary
 * file beyond) and the file is allocated, copied and logged at the first
 * close (flush), whose return value reports a failure (no room, log full).
 * It is logged with the uid and gid of the process that created it.
 *
 * The master (this host's system uuid is the file system's) may create
 * files and directories; every other host serves read-only and replays the
 * log on a miss and every --refresh interval, so it sees the master's new
 * files. The kernel keeps a file's data only while it is open (every open
 * reads the members again) unless --cache.
 *
 * Requests come through /dev/fuse or, where the kernel offers it (Linux
 * 6.14+, fuse.enable_uring=1), through FUSE over io_uring: a queue and a
 * thread per CPU (fuse/uring.c), unless --no-uring.
 *
 * famfsctl mount starts it (in the background: it returns once the mount
 * serves) and so does the famfsctl-mount@.service unit (in the foreground).
 * In the background its messages go to syslog (the journal), or to
 * --log-file: control characters escaped, a message repeated within a
 * minute (a damaged log fails every refresh) said once with its count.
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <fuse_lowlevel.h>
#include <linux/fuse.h>
#include <poll.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>
#include "fuse/uring.h"
#include "util/members.h"
#include "util/populate.h"
#include "util/text.h"

#define MiB (1ULL << 20)
#define IO_MAX (1 * MiB)        /* the largest request the kernel sends */
#define PATH_LEN 80             /* famfs paths: at most 79 bytes */
#define META_INO (1ULL << 62)   /* .meta, then .meta/.superblock, .meta/.log */
#define PEND_INO (1ULL << 61)   /* files created here, until logged */
#define OFF_LOG 16              /* readdir offsets: log entries from here */
#define OFF_PEND (1ULL << 62)   /* and files not yet logged from here */
#define MAX_IOV 64
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* A file created through the mount. Until it is logged (id 0) its bytes
 * are here; afterwards it forwards to the log entry. Kept for the mount's
 * life (the kernel may still name it by this inode). */
struct pend {
	struct pend *next;
	fuse_ino_t ino, parent;
	uint64_t seq;
	char name[PATH_LEN], path[PATH_LEN];
	uint32_t mode, uid, gid;
	pthread_mutex_t lock;
	uint64_t id;   /* the log entry once allocated, else 0 */
	bool gone;     /* logging it failed: there is no such file */
	int err;       /* a write error, reported at the next flush */
	char *mem;     /* its bytes, up to the buffer bound */
	size_t cap;
	int spill;     /* beyond the bound: an unlinked temporary file */
	uint64_t len;
};

struct srv {
	struct fc_ctx *ctx;
	struct fc_famfs *fs;
	const char *set;
	uint64_t chunk;
	unsigned int strips;
	unsigned int refresh_ms;
	bool cache, master, background;
	bool dio_mmap;             /* shared mappings of direct-I/O files work */
	bool uring;                /* take io_uring when the kernel offers it */
	struct fuse_session *se;
	uint64_t wbuf;             /* the in-memory bound per new file */
	uint64_t last_refresh_ms;  /* atomic */
	time_t since;              /* famfs keeps no times: all show the mount's */
	uid_t uid;
	gid_t gid;
	pthread_mutex_t plock;     /* the pend list */
	struct pend *pend;
	uint64_t pend_seq;
};

static struct srv S;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- messages: the server's, the library's and libfuse's ---- */

#define REPEAT_S 60 /* a message said again within this is only counted */
#define RECENT 8    /* the messages remembered for that */

static struct {
	pthread_mutex_t lock;
	int fd;                  /* --log-file, else -1: syslog */
	struct {
		char text[512];  /* a message said, when, how often since */
		int prio;
		time_t time;
		unsigned int repeats;
	} recent[RECENT];
	unsigned int next;       /* the slot a new message takes */
} L = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

/* One line to syslog or the log file; L.lock held. */
static void emit(int prio, const char *text)
{
	char line[1200], stamp[32];
	struct tm tm;
	time_t t;
	int n;

	if (L.fd < 0) {
		syslog(prio, "%s", text);
		return;
	}
	t = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", localtime_r(&t, &tm));
	n = snprintf(line, sizeof(line), "%s famfsctl-fused[%ld]: <%d> %s\n", stamp,
		     (long)getpid(), prio, text);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	if (write(L.fd, line, (size_t)n) < 0) {
		/* nowhere else to say it in the background */
	}
}

/*
 * The sink every background message passes through: a name from the media
 * or the fabric cannot forge a line (control characters as \xNN), and a
 * message repeated within REPEAT_S is counted, then said with its count
 * when another one comes or the time is up.
 */
/* A remembered message's repeats, said; L.lock held. */
static void say_repeats(unsigned int i)
{
	char note[640];

	if (!L.recent[i].repeats)
		return;
	snprintf(note, sizeof(note), "(repeated %u more time%s: %.80s%s)", L.recent[i].repeats,
		 L.recent[i].repeats == 1 ? "" : "s", L.recent[i].text,
		 strlen(L.recent[i].text) > 80 ? "..." : "");
	emit(L.recent[i].prio, note);
	L.recent[i].repeats = 0;
}

static void sink(int prio, const char *fmt, va_list ap)
{
	char msg[1024], safe[512];
	size_t len;
	time_t t = time(NULL);
	unsigned int i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	util_escape_ctl(msg, safe, sizeof(safe));
	pthread_mutex_lock(&L.lock);
	for (i = 0; i < RECENT && strcmp(L.recent[i].text, safe); i++)
		;
	if (i < RECENT && t - L.recent[i].time < REPEAT_S) {
		L.recent[i].repeats++;
		pthread_mutex_unlock(&L.lock);
		return;
	}
	if (i == RECENT) { /* a new one: what the others repeated first */
		for (unsigned int j = 0; j < RECENT; j++)
			say_repeats(j);
		i = L.next;
		L.next = (L.next + 1) % RECENT;
		snprintf(L.recent[i].text, sizeof(L.recent[i].text), "%s", safe);
	} else {
		say_repeats(i);
	}
	L.recent[i].prio = prio;
	L.recent[i].time = t;
	emit(prio, safe);
	pthread_mutex_unlock(&L.lock);
}

static void say(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (S.background) {
		sink(prio, fmt, ap);
	} else {
		fputs("famfsctl-fused: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

/* In the background, the library's and libfuse's messages go to the sink. */
static void lib_to_syslog(struct fc_ctx *ctx, int prio, const char *file, int line,
			  const char *fn, const char *fmt, va_list ap)
{
	sink(prio, fmt, ap);
}

static void fuse_to_syslog(enum fuse_log_level level, const char *fmt, va_list ap)
{
	sink((int)level, fmt, ap);
}

/*
 * A refresh that failed its checks (the library said why, naming the
 * member) keeps the last good state: say so once, and once when the log
 * passes again.
 */
static void refresh_said(int rc)
{
	static bool bad; /* atomic */
	bool was = __atomic_exchange_n(&bad, rc < 0, __ATOMIC_RELAXED);

	if (rc < 0 && !was)
		say(LOG_ERR, "%s: the log failed its checks (%s); still serving its last good state",
		    S.set, strerror(-rc));
	else if (rc == 0 && was)
		say(LOG_NOTICE, "%s: the log passes its checks again; serving it", S.set);
}

/*
 * Replay the log when it is older than the refresh interval, and at every
 * miss (something asked for is not known): a name committed to the log
 * before the look-up is found, whoever added it (the master's new files on
 * a client, famfsctl cp's on the master). A replay with nothing appended
 * reads only the log header.
 */
static void refresh(bool miss)
{
	uint64_t t = now_ms(), last = __atomic_load_n(&S.last_refresh_ms, __ATOMIC_RELAXED);

	if (!miss && t - last < S.refresh_ms)
		return;
	__atomic_store_n(&S.last_refresh_ms, t, __ATOMIC_RELAXED);
	refresh_said(fc_famfs_refresh(S.fs));
}

static bool is_pend(fuse_ino_t ino)
{
	return ino >= PEND_INO && ino < META_INO;
}

static struct pend *pend_of(fuse_ino_t ino)
{
	struct pend *p;

	pthread_mutex_lock(&S.plock);
	for (p = S.pend; p && p->ino != ino; p = p->next)
		;
	pthread_mutex_unlock(&S.plock);
	return p;
}

/* A not-yet-logged file named `name` in `parent` (S.plock held). */
static struct pend *pend_named_locked(fuse_ino_t parent, const char *name)
{
	struct pend *p;

	for (p = S.pend; p; p = p->next)
		if (p->parent == parent && !p->gone && !p->id && !strcmp(p->name, name))
			break;
	return p;
}

static struct pend *pend_named(fuse_ino_t parent, const char *name)
{
	struct pend *p;

	pthread_mutex_lock(&S.plock);
	p = pend_named_locked(parent, name);
	pthread_mutex_unlock(&S.plock);
	return p;
}

/* How long the kernel may keep a logged file's name and attributes: a
 * log entry never changes (no rename, unlink, chmod or resize in famfs),
 * and a name not found is never kept, so the master's new files show at
 * once. Files still being written here are asked for every time. */
static double timeout(void)
{
	return 3600.0;
}

static void fill(struct stat *st, fuse_ino_t ino, const struct fc_famfs_stat *f)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = f->uid;
	st->st_gid = f->gid;
	st->st_atime = st->st_mtime = st->st_ctime = S.since;
	st->st_mode = (f->is_dir ? S_IFDIR : S_IFREG) | (f->mode & 07777);
	st->st_nlink = f->is_dir ? 2 : 1;
	st->st_size = (off_t)f->size;
	st->st_blksize = 2 * MiB;
	st->st_blocks = (blkcnt_t)((f->size + 511) / 512);
}

static const void *meta(fuse_ino_t ino, size_t *len)
{
	return fc_famfs_meta(S.fs, ino == META_INO + 2, len);
}

static int attr_of(fuse_ino_t ino, struct stat *st)
{
	struct fc_famfs_stat f = { 0 };

	if (ino == META_INO) {
		f.is_dir = true;
		f.mode = 0555;
		f.uid = S.uid;
		f.gid = S.gid;
	} else if (ino == META_INO + 1 || ino == META_INO + 2) {
		size_t len;

		meta(ino, &len);
		f.size = len;
		f.mode = 0444;
		f.uid = S.uid;
		f.gid = S.gid;
	} else if (is_pend(ino)) {
		struct pend *p = pend_of(ino);

		if (!p || p->gone)
			return -ENOENT;
		pthread_mutex_lock(&p->lock);
		if (p->id) {
			pthread_mutex_unlock(&p->lock);
			if (fc_famfs_stat_id(S.fs, p->id, &f) < 0)
				return -ENOENT;
		} else {
			f.size = p->len;
			f.mode = p->mode;
			f.uid = p->uid;
			f.gid = p->gid;
			pthread_mutex_unlock(&p->lock);
		}
	} else if (fc_famfs_stat_id(S.fs, ino - 1, &f) < 0) {
		return -ENOENT;
	}
	if (ino == FUSE_ROOT_ID) {
		f.uid = S.uid;
		f.gid = S.gid;
	}
	fill(st, ino, &f);
	return 0;
}

static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e = { .ino = ino };
	int rc = attr_of(ino, &e.attr);

	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	/* files being written change size: the kernel asks again */
	e.attr_timeout = e.entry_timeout = is_pend(ino) ? 0 : timeout();
	fuse_reply_entry(req, &e);
}

/*
 * The device's reads and writes (libfuse's custom I/O).
 *
 * One server thread at a time waits in the kernel for the next request.
 * The kernel hands each request to the thread that has waited longest, so
 * with all idle threads waiting there a client issuing requests one after
 * the other (random 4 KiB reads) would wake a different, cold thread for
 * each, often on the other CPU: measured here, twice the round trip of one
 * thread. So the others wait here, and the thread that answered a request
 * comes back to read the next. When it takes a request and more are
 * queued, it hands the device to a waiting thread at once; otherwise one
 * waiting thread (the standby) takes over if the request is still being
 * served after STANDBY_NS, so a long request (a close logging a large
 * buffered file) does not hold up the others for long.
 */
#define STANDBY_NS 1000000ULL
#define STANDBY_IDLE_NS 100000000ULL  /* no request for this long: standby sleeps */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t turn;
	bool reading;       /* a thread reads the device */
	bool handoff;       /* requests are queued: a waiting thread reads now */
	bool standby;       /* a waiting thread watches the time */
	bool failed;        /* the device failed (unmounted): everyone reads it */
	uint64_t taken_ns;  /* when the reader last took a request */
} D = { .lock = PTHREAD_MUTEX_INITIALIZER, .turn = PTHREAD_COND_INITIALIZER };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void unlock(void *m)
{
	pthread_mutex_unlock(m);
}

/* Wait (D.lock held) until this thread may read the device: at once when
 * no one does (the thread that answered the last request), else when
 * handed the device, or as the standby when the reader is held up. */
static void take_turn(void)
{
	bool standby = false, fresh = true;

	for (;; fresh = false) {
		uint64_t t = now_ns();
		bool idle = D.reading && t - D.taken_ns > STANDBY_IDLE_NS;

		if (D.failed || D.handoff)
			break;
		if (!D.reading && (fresh || (standby && t - D.taken_ns >= STANDBY_NS)))
			break;
		if (!standby && !D.standby && !idle)
			standby = D.standby = true;
		else if (standby && idle)
			standby = D.standby = false; /* the next request wakes one */
		if (standby) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long)STANDBY_NS;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&D.turn, &D.lock, &ts);
		} else {
			pthread_cond_wait(&D.turn, &D.lock);
		}
	}
	if (standby)
		D.standby = false;
	D.handoff = false;
	D.reading = true;
}

/*
 * The INIT request is seen here and its answer changed (io_writev) for
 * what libfuse 3.14 cannot ask the kernel for (the protocol's struct
 * fuse_init_out, linux/fuse.h): shared mappings of files opened with
 * direct_io (FUSE 7.39, Linux 6.6; libfuse asks from 3.16) and FUSE over
 * io_uring (7.42, Linux 6.14, offered when fuse.enable_uring is set;
 * fuse/uring.c).
 */
#define K_DIRECT_IO_ALLOW_MMAP (1ULL << 36)

static uint64_t init_unique;   /* the INIT request's, until answered */
static uint64_t init_offers;   /* its flags and flags2, as one */

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	const struct fuse_in_header *in = buf;
	struct pollfd more = { .fd = fd, .events = POLLIN };
	ssize_t r;
	int err;

	pthread_mutex_lock(&D.lock);
	pthread_cleanup_push(unlock, &D.lock);
	take_turn();
	pthread_cleanup_pop(1);
	r = read(fd, buf, len);
	err = errno;
	/* a request taken: is another one queued already? */
	more.revents = 0;
	if (r > 0 && poll(&more, 1, 0) < 0)
		more.revents = POLLIN;
	pthread_mutex_lock(&D.lock);
	D.reading = false;
	D.taken_ns = now_ns();
	if (r < 0 && err != EINTR)
		D.failed = true;
	if (D.failed) {
		pthread_cond_broadcast(&D.turn);
	} else if (more.revents || r <= 0) {
		D.handoff = true;
		pthread_cond_signal(&D.turn);
	} else if (!D.standby) {
		pthread_cond_signal(&D.turn); /* a waiting thread becomes the standby */
	}
	pthread_mutex_unlock(&D.lock);
	if (r >= (ssize_t)(sizeof(*in) + sizeof(struct fuse_init_in)) && in->opcode == FUSE_INIT) {
		const struct fuse_init_in *ii = (const void *)(in + 1);

		init_unique = in->unique;
		init_offers = ii->flags;
		if (ii->flags & FUSE_INIT_EXT)
			init_offers |= (uint64_t)ii->flags2 << 32;
	}
	errno = err;
	return r;
}

/* The INIT answer: what libfuse cannot ask for, added; then written. */
static ssize_t init_reply(int fd, struct iovec *iov, int count)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	struct fuse_init_out *o = count == 2 ? iov[1].iov_base : NULL;
	bool uring = false;
	ssize_t r;
	int rc;

	if (out->error || !o || iov[1].iov_len < offsetof(struct fuse_init_out, flags2) +
	    sizeof(uint32_t))
		return writev(fd, iov, count);
#ifndef FUSE_CAP_DIRECT_IO_ALLOW_MMAP
	if (init_offers & K_DIRECT_IO_ALLOW_MMAP) {
		o->flags |= FUSE_INIT_EXT;
		o->flags2 |= (uint32_t)(K_DIRECT_IO_ALLOW_MMAP >> 32);
		S.dio_mmap = true;
	}
#endif
	if (S.uring && (init_offers & FUSED_FUSE_OVER_IO_URING)) {
		/* the kernel's payload bound: max_write, max_pages pages */
		size_t payload = o->max_write, pages = o->max_pages * (size_t)sysconf(_SC_PAGESIZE);

		if (pages > payload)
			payload = pages;
		rc = fused_uring_prepare(fd, payload < 8192 ? 8192 : payload);
		if (rc < 0) {
			say(LOG_NOTICE, "%s: io_uring offered, not taken (%s): serving /dev/fuse",
			    S.set, strerror(-rc));
		} else {
			o->flags |= FUSE_INIT_EXT;
			o->flags2 |= (uint32_t)(FUSED_FUSE_OVER_IO_URING >> 32);
			uring = true;
		}
	}
	r = writev(fd, iov, count);
	if (uring && r < 0)
		fused_uring_release();
	else if (uring && (rc = fused_uring_start(S.se)) < 0)
		say(LOG_ERR, "%s: io_uring: cannot start its threads (%s): serving /dev/fuse",
		    S.set, strerror(-rc));
	else if (uring)
		say(LOG_INFO, "%s: FUSE over io_uring, a queue and a thread per CPU", S.set);
	else if ((init_offers & FUSED_FUSE_OVER_IO_URING) && !S.uring)
		say(LOG_INFO, "%s: io_uring offered; serving /dev/fuse (--no-uring)", S.set);
	return r;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	const struct fuse_out_header *out = iov[0].iov_base;
	ssize_t len;

	if (fused_uring_answer(iov, count, &len))
		return len;
	if (init_unique && out->unique == init_unique) {
		init_unique = 0;
		return init_reply(fd, iov, count);
	}
	return writev(fd, iov, count);
}

static void op_init(void *data, struct fuse_conn_info *conn)
{
	conn->max_write = IO_MAX;
	conn->max_read = IO_MAX;
	conn->max_readahead = IO_MAX;
	conn->max_background = 64;
	conn->congestion_threshold = 48;
	/* replies come from the members' mappings with writev: splicing
	 * them through a pipe would copy them once more */
	conn->want &= ~(unsigned)(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
				  FUSE_CAP_SPLICE_MOVE);
	if (conn->capable & FUSE_CAP_ASYNC_DIO)
		conn->want |= FUSE_CAP_ASYNC_DIO;
	if (conn->capable & FUSE_CAP_PARALLEL_DIROPS)
		conn->want |= FUSE_CAP_PARALLEL_DIROPS;
#ifdef FUSE_CAP_DIRECT_IO_ALLOW_MMAP
	if (conn->capable & FUSE_CAP_DIRECT_IO_ALLOW_MMAP) {
		conn->want |= FUSE_CAP_DIRECT_IO_ALLOW_MMAP;
		S.dio_mmap = true;
	}
#endif
	say(LOG_INFO, "%s: FUSE %u.%u, max_write %u, max_read %u, max_readahead %u",
	    S.set, conn->proto_major, conn->proto_minor, conn->max_write, conn->max_read,
	    conn->max_readahead);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	uint64_t id;
	struct pend *p;
	int rc;

	if (parent == FUSE_ROOT_ID && !strcmp(name, ".meta"))
		return reply_entry(req, META_INO);
	if (parent == META_INO) {
		if (!strcmp(name, ".superblock"))
			return reply_entry(req, META_INO + 1);
		if (!strcmp(name, ".log"))
			return reply_entry(req, META_INO + 2);
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (is_pend(parent) || parent > META_INO) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if ((p = pend_named(parent, name)))
		return reply_entry(req, p->ino);
	refresh(false);
	rc = fc_famfs_lookup(S.fs, parent - 1, name, &id, NULL);
	if (rc == -ENOENT) {
		refresh(true);
		rc = fc_famfs_lookup(S.fs, parent - 1, name, &id, NULL);
	}
	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	reply_entry(req, id + 1);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int rc = attr_of(ino, &st);

	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_attr(req, &st, is_pend(ino) ? 0 : timeout());
}

struct dirbuf {
	fuse_req_t req;
	char *buf;
	size_t size, used;
};

/* Add one entry whose resume offset is `off`; false when it does not fit. */
static bool add(struct dirbuf *d, const char *name, fuse_ino_t ino, bool dir, off_t off)
{
	struct stat st = { .st_ino = ino, .st_mode = dir ? S_IFDIR : S_IFREG };
	size_t need = fuse_add_direntry(d->req, NULL, 0, name, NULL, 0);

	if (d->used + need > d->size)
		return false;
	fuse_add_direntry(d->req, d->buf + d->used, d->size - d->used, name, &st, off);
	d->used += need;
	return true;
}

static int add_logged(void *arg, const char *name, uint64_t id, const struct fc_famfs_stat *st)
{
	return add(arg, name, id + 1, st->is_dir, (off_t)(OFF_LOG + id)) ? 0 : 1;
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct dirbuf d = { .req = req, .size = size, .buf = malloc(size) };
	uint64_t o = (uint64_t)off;
	bool full = false;
	int rc = 0;

	if (!d.buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (o < 1)
		full = !add(&d, ".", ino, true, 1);
	if (!full && o < 2)
		full = !add(&d, "..", FUSE_ROOT_ID, true, 2);
	if (ino == META_INO) {
		if (!full && o < 3)
			full = !add(&d, ".superblock", META_INO + 1, false, 3);
		if (!full && o < 4)
			add(&d, ".log", META_INO + 2, false, 4);
		goto out;
	}
	if (!full && o < 3 && ino == FUSE_ROOT_ID)
		full = !add(&d, ".meta", META_INO, true, 3);
	if (o == 0)
		refresh(true);
	if (!full && o < OFF_PEND) {
		uint64_t pos = o > OFF_LOG ? o - OFF_LOG : 0;

		rc = fc_famfs_readdir_id(S.fs, ino - 1, &pos, add_logged, &d);
		full = rc > 0;
		if (rc > 0)
			rc = 0;
	}
	if (!full && !rc) {
		uint64_t from = o > OFF_PEND ? o - OFF_PEND : 0;

		pthread_mutex_lock(&S.plock);
		for (struct pend *p = S.pend; p && !full; p = p->next)
			if (p->parent == ino && p->seq > from && !p->gone && !p->id)
				full = !add(&d, p->name, p->ino, false, (off_t)(OFF_PEND + p->seq));
		pthread_mutex_unlock(&S.plock);
	}
out:
	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_buf(req, d.buf, d.used);
	free(d.buf);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	bool wr = (fi->flags & O_ACCMODE) != O_RDONLY;
	struct stat st;
	int rc = attr_of(ino, &st);

	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (wr && (ino > META_INO || !S.master)) {
		fuse_reply_err(req, ino > META_INO ? EACCES : EROFS);
		return;
	}
	/* Uncached (the default), reads and writes bypass the page cache
	 * (direct_io): the kernel copies a read straight from the members'
	 * mappings into the reader's buffer, a write from the writer's buffer
	 * into this server's, and every read sees the members' current bytes.
	 * Shared mappings still go through the page cache (as the INIT answer
	 * asked); a kernel before 6.6 cannot map such files, so there the
	 * page cache holds a file only while it is open (every open drops
	 * what an earlier one read: keep_cache off). --cache keeps the pages
	 * across opens. A file still being written here, and .meta, are
	 * never cached. */
	fi->direct_io = is_pend(ino) || ino > META_INO || (!S.cache && S.dio_mmap);
	fi->keep_cache = S.cache && !fi->direct_io;
	fuse_reply_open(req, fi);
}

static struct pend *new_pend(fuse_req_t req, fuse_ino_t parent, const char *name,
			     mode_t mode, int *err)
{
	const struct fuse_ctx *c = fuse_req_ctx(req);
	struct fc_famfs_stat st;
	char dir[PATH_LEN], path[PATH_LEN + 300];
	struct pend *p;
	uint64_t id;

	*err = 0;
	if (!S.master) {
		*err = EROFS;
		return NULL;
	}
	if (is_pend(parent) || parent >= META_INO || fc_famfs_stat_id(S.fs, parent - 1, &st) < 0 ||
	    !st.is_dir) {
		*err = parent >= META_INO ? EACCES : ENOTDIR;
		return NULL;
	}
	if (parent == FUSE_ROOT_ID && !strcmp(name, ".meta")) {
		*err = EEXIST;
		return NULL;
	}
	if (fc_famfs_lookup(S.fs, parent - 1, name, &id, NULL) == 0 || pend_named(parent, name)) {
		*err = EEXIST;
		return NULL;
	}
	/* the directory's entry names its path */
	*dir = '\0';
	if (parent != FUSE_ROOT_ID && fc_famfs_path_id(S.fs, parent - 1, dir, sizeof(dir)) < 0) {
		*err = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name);
	if (strlen(path) >= PATH_LEN) {
		*err = ENAMETOOLONG;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		*err = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	snprintf(p->name, sizeof(p->name), "%s", name);
	memcpy(p->path, path, strlen(path) + 1); /* shorter than PATH_LEN: checked */
	p->parent = parent;
	p->mode = mode & 07777;
	p->uid = c->uid; /* the creator's, not whoever closes it last */
	p->gid = c->gid;
	p->spill = -1;
	pthread_mutex_lock(&S.plock);
	if (pend_named_locked(parent, name)) {
		pthread_mutex_unlock(&S.plock);
		free(p);
		*err = EEXIST;
		return NULL;
	}
	p->seq = ++S.pend_seq;
	p->ino = PEND_INO + p->seq;
	p->next = S.pend;
	S.pend = p;
	pthread_mutex_unlock(&S.plock);
	return p;
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	struct fuse_entry_param e = { 0 };
	int err;
	struct pend *p = new_pend(req, parent, name, mode, &err);

	if (!p) {
		fuse_reply_err(req, err);
		return;
	}
	e.ino = p->ino;
	attr_of(p->ino, &e.attr);
	fi->direct_io = 1;
	fuse_reply_create(req, &e, fi);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		     dev_t rdev)
{
	int err;
	struct pend *p;

	if (!S_ISREG(mode)) {
		fuse_reply_err(req, EPERM); /* famfs has files and directories only */
		return;
	}
	p = new_pend(req, parent, name, mode, &err);
	if (!p)
		fuse_reply_err(req, err);
	else
		reply_entry(req, p->ino);
}

/*
 * Map the members' pages a write is about to fill, in one call per piece
 * rather than one page fault per 4 KiB page (memory the simulator backs
 * with files, or DAX memory not yet touched, is mapped on first use): a
 * third of a large write's time otherwise. Only a hint: where the kernel
 * cannot (before Linux 5.14, or a mapping of device pages), the copy
 * faults the pages in as before.
 */
static void populate(uint64_t id, uint64_t off, size_t size)
{
	struct iovec iov[MAX_IOV];
	int n;

	while (size && (n = fc_famfs_iov(S.fs, id, off, size, iov, MAX_IOV, false)) > 0) {
		if (util_populate_write(iov, n) < 0)
			return;
		for (int i = 0; i < n; i++) {
			off += iov[i].iov_len;
			size -= iov[i].iov_len;
		}
	}
}

/*
 * Log a new file of `size` bytes now, and move what was buffered to the
 * members. Called with p->lock held. When it cannot be logged (no room,
 * log full) and `keep`, nothing changes: the file stays new and buffered
 * (an ftruncate that fails changes nothing); otherwise it is gone (the
 * close reporting it). Once logged it stays, even if moving the buffered
 * bytes failed (that is reported).
 */
static int allocate(struct pend *p, uint64_t size, bool keep)
{
	struct fc_famfs_file_opts o = { .chunk = S.chunk, .strips = S.strips, .mode = p->mode,
					.uid = p->uid, .gid = p->gid };
	uint64_t id = 0;
	int rc;

	rc = fc_famfs_creat(S.fs, p->path, size, &o); /* an empty file stays empty */
	if (rc < 0 && keep)
		return rc;
	if (rc == 0 && fc_famfs_resolve(S.fs, p->path, &id, NULL) < 0)
		id = 0;
	if (rc == 0 && id)
		populate(id, 0, p->len);
	for (uint64_t off = 0; rc == 0 && id && off < p->len;) {
		char *buf = p->mem ? p->mem + off : NULL, tmp[1 << 16];
		size_t n = p->len - off;
		ssize_t r;

		if (!buf) {
			if (n > sizeof(tmp))
				n = sizeof(tmp);
			r = pread(p->spill, tmp, n, (off_t)off);
			if (r <= 0) {
				rc = r < 0 ? -errno : -EIO;
				break;
			}
			n = (size_t)r;
			buf = tmp;
		}
		r = fc_famfs_pwrite_id(S.fs, id, buf, n, off);
		if (r != (ssize_t)n)
			rc = r < 0 ? (int)r : -EIO;
		off += n;
	}
	free(p->mem);
	p->mem = NULL;
	p->cap = 0;
	if (p->spill >= 0)
		close(p->spill);
	p->spill = -1;
	if (rc == 0 && !id)
		rc = -EIO;
	if (rc < 0)
		say(LOG_ERR, "%s: %s: %s: %s", S.set, p->path, id ? "cannot move its bytes to the "
		    "members" : "cannot log the new file", strerror(-rc));
	if (id)
		p->id = id;
	else
		p->gone = true;
	/* logged, some bytes not moved: the writer's next close says so too
	 * (a writer may take an ftruncate's error for a hint's) */
	if (id && rc < 0 && !p->err)
		p->err = -rc;
	return rc;
}

/* Buffer bytes of a file not yet logged: memory up to the bound, then an
 * unlinked temporary file, so a large file does not exhaust memory. */
static int buffer(struct pend *p, const char *buf, size_t size, uint64_t off)
{
	uint64_t end = off + size;

	if (p->spill < 0 && end > S.wbuf) {
		const char *dir = getenv("TMPDIR");
		char tmpl[4096];
		int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

		if (fd < 0) {
			snprintf(tmpl, sizeof(tmpl), "%s/famfsctl-fused-XXXXXX", dir && *dir ? dir : "/tmp");
			fd = mkostemp(tmpl, O_CLOEXEC);
			if (fd >= 0)
				unlink(tmpl);
		}
		if (fd < 0)
			return -errno;
		if (p->len && pwrite(fd, p->mem, p->len, 0) != (ssize_t)p->len) {
			close(fd);
			return -EIO;
		}
		free(p->mem);
		p->mem = NULL;
		p->cap = 0;
		p->spill = fd;
	}
	if (p->spill >= 0) {
		if (pwrite(p->spill, buf, size, (off_t)off) != (ssize_t)size)
			return errno ? -errno : -EIO;
	} else {
		if (end > p->cap) {
			size_t cap = p->cap ? p->cap : MiB;
			char *n;

			while (cap < end)
				cap *= 2;
			n = realloc(p->mem, cap);
			if (!n)
				return -ENOMEM;
			memset(n + p->cap, 0, cap - p->cap);
			p->mem = n;
			p->cap = cap;
		}
		memcpy(p->mem + off, buf, size);
	}
	if (end > p->len)
		p->len = end;
	return 0;
}

/* The log id a write or read goes to: a logged file, or a new one logged
 * already; 0 for a new file still buffered (p set, locked). */
static int target(fuse_ino_t ino, uint64_t *id, struct pend **pp)
{
	struct pend *p;

	*pp = NULL;
	if (!is_pend(ino)) {
		*id = ino - 1;
		return 0;
	}
	p = pend_of(ino);
	if (!p)
		return -ENOENT;
	pthread_mutex_lock(&p->lock);
	if (p->gone) {
		pthread_mutex_unlock(&p->lock);
		return -ENOENT;
	}
	if (p->id) {
		*id = p->id;
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	*id = 0;
	*pp = p;
	return 0;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct iovec iov[MAX_IOV];
	struct pend *p;
	uint64_t id;
	int rc, n;

	if (ino > META_INO) {
		size_t len;
		const char *b = meta(ino, &len);

		if ((size_t)off >= len)
			size = 0;
		else if (size > len - (size_t)off)
			size = len - (size_t)off;
		fuse_reply_buf(req, b + off, size);
		return;
	}
	rc = target(ino, &id, &p);
	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	if (p) { /* still buffered here */
		char *buf = NULL;

		if ((uint64_t)off >= p->len)
			size = 0;
		else if (size > p->len - (uint64_t)off)
			size = (size_t)(p->len - (uint64_t)off);
		if (size && p->mem) {
			fuse_reply_buf(req, p->mem + off, size);
		} else if (size && (buf = malloc(size)) &&
			   pread(p->spill, buf, size, off) == (ssize_t)size) {
			fuse_reply_buf(req, buf, size);
		} else if (size) {
			fuse_reply_err(req, EIO);
		} else {
			fuse_reply_buf(req, NULL, 0);
		}
		free(buf);
		pthread_mutex_unlock(&p->lock);
		return;
	}
	/* A client invalidates its caches over what it reads: the master may
	 * have rewritten it. The master needs not: only the master writes
	 * file data (ABI.md, famfs), and this host's caches hold its own stores. */
	n = fc_famfs_iov(S.fs, id, (uint64_t)off, size, iov, MAX_IOV, !S.master);
	if (n < 0)
		fuse_reply_err(req, -n);
	else
		fuse_reply_iov(req, iov, n); /* one copy: members -> reader */
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct fc_famfs_stat st;
	struct pend *p;
	uint64_t id;
	ssize_t w;
	int rc;

	if (!S.master || ino > META_INO) {
		fuse_reply_err(req, ino > META_INO ? EACCES : EROFS);
		return;
	}
	rc = target(ino, &id, &p);
	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	if (p) {
		rc = buffer(p, buf, size, (uint64_t)off);
		if (rc < 0 && !p->err)
			p->err = -rc;
		pthread_mutex_unlock(&p->lock);
		if (rc < 0)
			fuse_reply_err(req, -rc);
		else
			fuse_reply_write(req, size);
		return;
	}
	if (fc_famfs_stat_id(S.fs, id, &st) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if ((uint64_t)off + size > st.size) {
		fuse_reply_err(req, EFBIG); /* famfs files keep the size they were logged with */
		return;
	}
	populate(id, (uint64_t)off, size);
	w = fc_famfs_pwrite_id(S.fs, id, buf, size, (uint64_t)off);
	if (w < 0)
		fuse_reply_err(req, (int)-w);
	else
		fuse_reply_write(req, (size_t)w);
}

/*
 * A close (flush): a new file still buffered is logged now, and a failure
 * (no room, log full, a write that failed) is the close's error. A close
 * before anything was written does not log it yet: the shell's `>` opens,
 * dup2()s and closes the first descriptor before the command writes. The
 * last close of the open file (release) logs what is left, empty or not.
 */
static int settle(fuse_ino_t ino, bool last)
{
	struct pend *p;
	int rc = 0;

	if (!is_pend(ino) || !(p = pend_of(ino)))
		return 0;
	pthread_mutex_lock(&p->lock);
	if (p->err) {
		rc = -p->err;
		p->err = 0;
	}
	if (!p->gone && !p->id && (p->len || last)) {
		int r = allocate(p, p->len, false);

		if (!rc)
			rc = r;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fuse_reply_err(req, -settle(ino, false));
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	settle(ino, true); /* its close returned already: the log says what failed */
	fuse_reply_err(req, 0);
}

static void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	fuse_reply_err(req, 0); /* every write is flushed to the members already */
}

/* The size announced for a new file: allocate it now (a larger one than
 * what is buffered); an existing file's size cannot change. */
static int announce(fuse_ino_t ino, uint64_t size, bool shrink_ok)
{
	struct fc_famfs_stat st;
	struct pend *p;
	uint64_t id;
	int rc = target(ino, &id, &p);

	if (rc < 0)
		return rc;
	if (p) {
		if (size < p->len && shrink_ok) {
			/* nothing logged yet: cut the buffer, so what is
			 * written past the cut later reads zeros between */
			if (p->mem)
				memset(p->mem + size, 0, p->len - size);
			if (p->spill >= 0 && ftruncate(p->spill, (off_t)size) < 0)
				rc = -errno;
			if (!rc)
				p->len = size;
		}
		else if (size > p->len || (size == p->len && size))
			rc = allocate(p, size, true);
		pthread_mutex_unlock(&p->lock);
		return rc;
	}
	if (fc_famfs_stat_id(S.fs, id, &st) < 0)
		return -ENOENT;
	if (size == st.size || (!shrink_ok && size <= st.size))
		return 0;
	return shrink_ok ? -EPERM : -EFBIG;
}

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	struct stat st;
	int rc = 0;

	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		struct pend *p = is_pend(ino) ? pend_of(ino) : NULL;

		/* a file still buffered may change; the log keeps what it says */
		if (!p || p->id || p->gone) {
			fuse_reply_err(req, EPERM);
			return;
		}
		pthread_mutex_lock(&p->lock);
		if (to_set & FUSE_SET_ATTR_MODE)
			p->mode = attr->st_mode & 07777;
		if (to_set & FUSE_SET_ATTR_UID)
			p->uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			p->gid = attr->st_gid;
		pthread_mutex_unlock(&p->lock);
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		if (!S.master || ino >= META_INO) {
			fuse_reply_err(req, S.master ? EPERM : EROFS);
			return;
		}
		rc = announce(ino, (uint64_t)attr->st_size, true);
	}
	/* famfs keeps no times: touch and cp -p must not fail */
	if (rc == 0)
		rc = attr_of(ino, &st);
	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_attr(req, &st, is_pend(ino) ? 0 : timeout());
}

static void op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off, off_t len,
			 struct fuse_file_info *fi)
{
	if (mode) {
		fuse_reply_err(req, EOPNOTSUPP); /* no holes, no size changes */
		return;
	}
	if (!S.master || ino >= META_INO) {
		fuse_reply_err(req, S.master ? EPERM : EROFS);
		return;
	}
	fuse_reply_err(req, -announce(ino, (uint64_t)off + (uint64_t)len, false));
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	const struct fuse_ctx *c = fuse_req_ctx(req);
	char dir[PATH_LEN], path[PATH_LEN + 300];
	uint64_t id;
	int rc;

	if (!S.master) {
		fuse_reply_err(req, EROFS);
		return;
	}
	if (parent >= PEND_INO) {
		fuse_reply_err(req, parent >= META_INO ? EACCES : ENOTDIR);
		return;
	}
	if (parent == FUSE_ROOT_ID && !strcmp(name, ".meta")) {
		fuse_reply_err(req, EEXIST);
		return;
	}
	if (pend_named(parent, name)) {
		fuse_reply_err(req, EEXIST);
		return;
	}
	*dir = '\0';
	if (parent != FUSE_ROOT_ID && fc_famfs_path_id(S.fs, parent - 1, dir, sizeof(dir)) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name);
	if (strlen(path) >= PATH_LEN) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	rc = fc_famfs_mkdir(S.fs, path, mode & 07777, c->uid, c->gid);
	if (rc == 0)
		rc = fc_famfs_resolve(S.fs, path, &id, NULL);
	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		reply_entry(req, id + 1);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs s = { 0 };
	uint64_t total, used;

	refresh(false); /* what other writers took counts too (df after a cp) */
	fc_famfs_space(S.fs, &total, &used);
	s.f_bsize = s.f_frsize = 2 * MiB;
	s.f_blocks = total / (2 * MiB);
	s.f_bfree = s.f_bavail = (total - used) / (2 * MiB);
	s.f_namemax = PATH_LEN - 1;
	fuse_reply_statfs(req, &s);
}

static void op_no(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, EPERM); /* famfs logs only add: no unlink, rmdir */
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	fuse_reply_err(req, EPERM);
}

/* FC_MAP_XATTR: a logged file's layout, so the preload library (famfsctl
 * run) maps it directly without replaying the log. */
static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	char path[PATH_LEN];
	struct fc_famfs_stat st;
	json_object *j = NULL;
	const char *text;
	size_t len;
	uint64_t id;
	struct pend *p;

	if (strcmp(name, FC_MAP_XATTR) || ino >= META_INO || target(ino, &id, &p) < 0) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	if (p) { /* still buffered here: no layout yet */
		pthread_mutex_unlock(&p->lock);
		fuse_reply_err(req, ENODATA);
		return;
	}
	if (fc_famfs_stat_id(S.fs, id, &st) < 0 || st.is_dir ||
	    fc_famfs_path_id(S.fs, id, path, sizeof(path)) < 0 ||
	    !(j = fc_famfs_map_to_json(S.fs, path, 0))) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	if (!size)
		fuse_reply_xattr(req, len);
	else if (len > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, text, len);
	json_object_put(j);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	fuse_reply_none(req); /* ids never change: nothing to drop */
}

static const struct fuse_lowlevel_ops ops = {
	.init = op_init,
	.lookup = op_lookup,
	.forget = op_forget,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readdir = op_readdir,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.flush = op_flush,
	.release = op_release,
	.fsync = op_fsync,
	.create = op_create,
	.mknod = op_mknod,
	.fallocate = op_fallocate,
	.mkdir = op_mkdir,
	.statfs = op_statfs,
	.unlink = op_no,
	.rmdir = op_no,
	.rename = op_rename,
	.getxattr = op_getxattr,
};

static const char help[] =
	"usage: famfsctl-fused [options] SET MOUNTPOINT\n"
	"       (SET: an interleave set's name, or member paths PRIMARY,MEMBER,...)\n\n"
	"The portable mount's server, as famfsctl mount and the\n"
	"famfsctl-mount@.service unit start it. See famfsctl-mount(1).\n\n"
	"  -f, --foreground      serve in the foreground (messages to stderr);\n"
	"                        else in the background once mounted (to syslog)\n"
	"      --system-uuid U   this host's identity: the master serves read-write\n"
	"      --refresh MS      replay the log at least this often (default 1000)\n"
	"      --cache           let the kernel cache file data (see the man page)\n"
	"      --write-buffer S  memory per new file before it spills (default 64M)\n"
	"      --threads N       at most N server threads (default 8) on /dev/fuse\n"
	"      --no-uring        serve /dev/fuse even when the kernel offers io_uring\n"
	"      --fabric URI      the fabric (default $FAMFSCTL_FABRIC)\n"
	"      --host-id N       this host's id on the fabric\n"
	"      --log-file FILE   in the background, messages to FILE, not syslog\n"
	"  -v, --verbose         more messages\n"
	"  -h, --help            this help\n";

/*
 * With --cache the kernel reads ahead through its page cache, but only
 * 128 KiB at a time: the mount's backing device starts with the default
 * read_ahead_kb, which max_readahead cannot raise. Raise it to the request
 * size (as root), once the mount answers (this thread's stat waits for it).
 */
static void *raise_readahead(void *arg)
{
	const char *mp = arg;
	char path[128], val[16];
	struct stat st;
	int fd;

	if (stat(mp, &st) < 0)
		return NULL;
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/read_ahead_kb", major(st.st_dev),
		 minor(st.st_dev));
	snprintf(val, sizeof(val), "%llu", (unsigned long long)(IO_MAX / 1024));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		say(LOG_INFO, "%s: read-ahead stays at the kernel's default (%s: %m)", S.set, path);
	if (fd >= 0)
		close(fd);
	return NULL;
}

enum { O_SYS = 0x100, O_REFRESH, O_CACHE, O_WBUF, O_THREADS, O_FABRIC, O_HOST, O_LOGFILE,
       O_NO_URING };

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "famfsctl-fused: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nSee 'famfsctl-fused --help'.\n");
	va_end(ap);
	return 2;
}

/* Open the file system; as master when this host's uuid is its master's. */
static int open_fs(const char *set, const char *sys)
{
	struct util_members paths = { 0 };
	unsigned int members = 0;
	uuid_t me, fs_master;
	int rc;

	if (util_is_set_name(set)) {
		if (fc_interleave_get(S.ctx, set, &S.chunk, &S.strips, &members) < 0)
			return -1;
	} else {
		char *spec[] = { (char *)set };

		if (util_members_split(1, spec, &paths) < 0)
			return usage("'%s' is neither a set name nor member paths", set);
		/* as famfsctl cp stripes over members by path: all, up to 16 */
		S.chunk = 2 * MiB;
		S.strips = paths.n < 16 ? paths.n : 16;
		util_members_free(&paths);
	}
	rc = fc_famfs_open_spec(S.ctx, set, NULL, &S.fs);
	if (rc == 0 && sys && uuid_parse(sys, me) == 0) {
		fc_famfs_system_uuid(S.fs, fs_master);
		if (!uuid_compare(me, fs_master)) {
			fc_famfs_close(S.fs);
			rc = fc_famfs_open_spec(S.ctx, set, me, &S.fs);
		}
	}
	if (rc < 0) {
		S.fs = NULL;
		fprintf(stderr, "famfsctl-fused: cannot open the file system on %s\n", set);
		return -1;
	}
	S.master = fc_famfs_is_master(S.fs);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "system-uuid", required_argument, NULL, O_SYS },
		{ "refresh", required_argument, NULL, O_REFRESH },
		{ "cache", no_argument, NULL, O_CACHE },
		{ "write-buffer", required_argument, NULL, O_WBUF },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "fabric", required_argument, NULL, O_FABRIC },
		{ "host-id", required_argument, NULL, O_HOST },
		{ "log-file", required_argument, NULL, O_LOGFILE },
		{ "no-uring", no_argument, NULL, O_NO_URING },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sys = NULL, *fabric = getenv("FAMFSCTL_FABRIC"), *mp;
	unsigned int threads = 8, host_id = 0, verbose = 0;
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *cfg;
	struct fuse_session *se;
	char o[512], mp_abs[PATH_MAX];
	char *end;
	int opt, rc = 1;
	bool fg = false;

	S.refresh_ms = 1000;
	S.wbuf = 64 * MiB;
	S.uring = true;
	while ((opt = getopt_long(argc, argv, "fvh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': fg = true; break;
		case O_SYS: sys = optarg; break;
		case O_REFRESH:
			S.refresh_ms = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !S.refresh_ms)
				return usage("--refresh: '%s' is not milliseconds", optarg);
			break;
		case O_CACHE: S.cache = true; break;
		case O_WBUF:
			if (fc_parse_size(optarg, &S.wbuf) < 0)
				return usage("--write-buffer: '%s' is not a size", optarg);
			break;
		case O_THREADS:
			threads = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !threads || threads > 256)
				return usage("--threads: '%s' is not 1..256", optarg);
			break;
		case O_FABRIC: fabric = optarg; break;
		case O_HOST:
			host_id = (unsigned int)strtoul(optarg, &end, 10);
			if (*end)
				return usage("--host-id: '%s' is not a number", optarg);
			break;
		case O_NO_URING: S.uring = false; break;
		case O_LOGFILE:
			if (L.fd >= 0)
				close(L.fd);
			L.fd = open(optarg, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (L.fd < 0) {
				fprintf(stderr, "famfsctl-fused: --log-file %s: %m\n", optarg);
				return 1;
			}
			break;
		case 'v': verbose++; break;
		case 'h': fputs(help, stdout); return 0;
		default: return usage("%s", "bad option");
		}
	}
	if (argc - optind != 2)
		return usage("%s", "give SET and MOUNTPOINT");
	S.set = argv[optind];
	/* absolute: the server's working directory becomes / */
	mp = realpath(argv[optind + 1], mp_abs);
	if (!mp) {
		fprintf(stderr, "famfsctl-fused: %s: %m\n", argv[optind + 1]);
		return 1;
	}
	openlog("famfsctl-fused", LOG_PID, LOG_DAEMON);
	if (fc_new(&S.ctx) < 0)
		return 1;
	if (verbose)
		fc_set_log_priority(S.ctx, verbose > 1 ? LOG_DEBUG : LOG_INFO);
	if (fc_set_fabric(S.ctx, fabric, host_id) < 0 || open_fs(S.set, sys) < 0)
		goto out;
	S.uid = getuid();
	S.gid = getgid();
	S.since = time(NULL);
	S.last_refresh_ms = now_ms();
	pthread_mutex_init(&S.plock, NULL);
	/* the source names the set, or the primary (a comma would end the
	 * option): what famfsctl's mount checks look for */
	snprintf(o, sizeof(o), "fsname=famfsctl:%.*s,subtype=famfs,max_read=%llu%s%s",
		 (int)strcspn(S.set, ","), S.set, (unsigned long long)IO_MAX, S.master ? "" : ",ro",
		 getuid() == 0 ? ",allow_other,default_permissions" : "");
	if (fuse_opt_add_arg(&args, "famfsctl-fused") || fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, o))
		goto out;
	se = S.se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se)
		goto out;
	if (fuse_set_signal_handlers(se) < 0 || fuse_session_mount(se, mp) < 0) {
		fprintf(stderr, "famfsctl-fused: %s: cannot mount at %s\n", S.set, mp);
		fuse_session_destroy(se);
		goto out;
	}
	/* the caller (famfsctl mount) returns once this is mounted */
	if (!fg) {
		S.background = true;
		fc_set_log_fn(S.ctx, lib_to_syslog);
		fuse_set_log_func(fuse_to_syslog);
	}
	{
		static const struct fuse_custom_io cio = { .read = io_read, .writev = io_writev };

		if (fuse_session_custom_io(se, &cio, fuse_session_fd(se)) < 0) {
			fuse_session_unmount(se);
			fuse_session_destroy(se);
			goto out;
		}
	}
	if (fuse_daemonize(fg) < 0) {
		fuse_session_unmount(se);
		fuse_session_destroy(se);
		goto out;
	}
	say(LOG_INFO, "%s mounted at %s (%s%s)", S.set, mp, S.master ? "master, read-write" :
	    "read-only", S.cache ? ", cached" : "");
	if (S.cache) {
		pthread_t ra;

		if (pthread_create(&ra, NULL, raise_readahead, (void *)mp) == 0)
			pthread_detach(ra);
	}
	cfg = fuse_loop_cfg_create();
	fuse_loop_cfg_set_clone_fd(cfg, 1);
	fuse_loop_cfg_set_max_threads(cfg, threads);
	/* idle threads stay: libfuse would otherwise end a thread after each
	 * burst of parallel requests (read-ahead) and start one at the next */
	fuse_loop_cfg_set_idle_threads(cfg, threads);
	/* a signal (systemctl stop, ^C) ends it as cleanly as an unmount */
	rc = fuse_session_loop_mt(se, cfg);
	rc = rc == 0 || rc == SIGTERM || rc == SIGINT || rc == SIGHUP ? 0 : 1;
	fuse_loop_cfg_destroy(cfg);
	fuse_session_unmount(se);
	fused_uring_stop();
	fuse_remove_signal_handlers(se);
	fuse_session_destroy(se);
	/* what was still buffered (a writer that never closed) is logged */
	for (struct pend *p = S.pend; p; p = p->next)
		if (!p->gone && !p->id && (p->len || p->mem || p->spill >= 0))
			settle(p->ino, true);
	{
		unsigned int queues;
		uint64_t served = fused_uring_served(&queues);

		if (queues)
			say(LOG_INFO, "%s: %llu requests served through io_uring, %u queues", S.set,
			    (unsigned long long)served, queues);
	}
	say(LOG_INFO, "%s: unmounted from %s", S.set, mp);
	while (S.pend) {
		struct pend *p = S.pend;

		S.pend = p->next;
		free(p->mem);
		if (p->spill >= 0)
			close(p->spill);
		pthread_mutex_destroy(&p->lock);
		free(p);
	}
out:
	fuse_opt_free_args(&args);
	fc_famfs_close(S.fs);
	fc_unref(S.ctx);
	return rc;
}
