// SPDX-License-Identifier: GPL-2.0-only
/*
 * FUSE over io_uring for the portable mount's server.
 *
 * With /dev/fuse every request sits in one queue; a server thread waiting
 * in read() is woken wherever it last ran, and so is the caller when the
 * answer comes: two wake-ups across CPUs per request, each an
 * inter-processor interrupt (measured here: half the round trip of a
 * 4 KiB read). Linux 6.14 added a queue per CPU, fed through io_uring:
 * a request goes to the queue of the CPU its caller runs on, and a server
 * thread pinned to that CPU takes it from its own ring, while the caller
 * sleeps on the same CPU. The kernel offers it when the fuse module's
 * enable_uring parameter is set (/sys/module/fuse/parameters/enable_uring).
 *
 * The protocol (include/uapi/linux/fuse.h 7.42, fs/fuse/dev_uring.c):
 * - the server answers INIT with FUSE_OVER_IO_URING; from then on the
 *   kernel holds new requests until every possible CPU's queue has an
 *   entry (or a registration fails, which turns io_uring off again);
 * - each queue is a ring with 128-byte SQEs; an entry is an
 *   IORING_OP_URING_CMD on /dev/fuse with struct uring_cmd_req in the
 *   SQE's 80-byte command area;
 * - REGISTER gives the kernel an entry's two buffers (sqe->addr: two
 *   iovecs): the headers (the in or out header, the operation's own header,
 *   the commit id and payload size) and the payload, at least the larger
 *   of max_write and max_pages pages; it completes when a request is in
 *   the buffers;
 * - COMMIT_AND_FETCH (commit id, queue) hands back the answer in the same
 *   buffers (out header; payload: the out arguments) and waits for the
 *   next request;
 * - forgets, interrupts and notifications stay on /dev/fuse; an unmount
 *   completes every entry with -ENOTCONN.
 *
 * libfuse 3.14 has no io_uring: a request is rebuilt in front of its
 * payload as read() would have returned it (in header, operation header,
 * payload: its length is the in header's minus the payload's) and given
 * to fuse_session_process_buf(); libfuse's answer comes to the server's
 * writev, which gives it to fused_uring_answer() to copy into the entry.
 * A read's bytes are copied once more than through /dev/fuse (members to
 * payload, then the kernel's copy to the reader), the price of the ring.
 */
#define FUSE_USE_VERSION 312
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fuse_lowlevel.h>
#include <liburing.h>
#include <sys/syscall.h>
#include <linux/fuse.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include "fuse/uring.h"

/* The kernel's UAPI (linux/fuse.h 7.42), newer than the build's headers */
#define URING_HDR_SZ 128
struct uring_ent_in_out {
	uint64_t flags;
	uint64_t commit_id;   /* the request's unique, to commit it with */
	uint32_t payload_sz;  /* the payload's bytes, either way */
	uint32_t padding;
	uint64_t reserved;
};

struct uring_req_header {
	char in_out[URING_HDR_SZ];  /* struct fuse_in_header / fuse_out_header */
	char op_in[URING_HDR_SZ];   /* the operation's header (fuse_read_in...) */
	struct uring_ent_in_out ent;
};

struct uring_cmd_req {
	uint64_t flags;
	uint64_t commit_id;
	uint16_t qid;
	uint8_t padding[6];
};

enum { URING_CMD_REGISTER = 1, URING_CMD_COMMIT_AND_FETCH = 2 };

_Static_assert(sizeof(struct uring_req_header) == 288, "fuse_uring_req_header");
_Static_assert(sizeof(struct uring_cmd_req) == 24, "fuse_uring_cmd_req");

#define DEPTH 2       /* entries per queue: one served, one the kernel fills */
#define PAGE 4096     /* an entry: its headers, then the payload from here */

struct entry {
	struct queue *q;
	struct uring_req_header *hdr;  /* page-aligned, the entry's first page */
	char *payload;                 /* after it; the rebuilt request ends here */
	struct iovec iov[2];           /* what REGISTER names */
	uint32_t last_cmd;
	uint64_t unique;               /* the request being served */
	bool answered;
};

struct queue {
	struct io_uring ring;
	bool ring_up;
	unsigned int qid;
	pthread_t tid;
	bool running;         /* tid is to be joined */
	bool disabled;        /* made disabled: its thread enables it */
	bool served;          /* it served a request: the ring was in use */
	int stop_fd;          /* an eventfd: written, the thread ends */
	struct entry ent[DEPTH];
};

static struct {
	struct fuse_session *se;
	int fd;               /* /dev/fuse */
	size_t payload;       /* each entry's payload buffer */
	unsigned int nq;      /* the kernel's queues: its possible CPUs */
	struct queue *q;
	uint64_t served;      /* atomic */
	bool started;
	/* a plain ring, only for the REGISTER the kernel refuses (refuse()) */
	struct io_uring spare;
	bool spare_up;
	pthread_mutex_t spare_lock;
} U = { .spare_lock = PTHREAD_MUTEX_INITIALIZER };

static __thread struct entry *serving;  /* this thread's request, if any */

/* The kernel has a queue for each possible CPU (num_possible_cpus()):
 * /sys/devices/system/cpu/possible, "0-N" (or a list); 0 if unreadable. */
static unsigned int possible_cpus(void)
{
	char buf[256], *s = buf;
	unsigned int n = 0;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return 0;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				return 0;
		}
		n += (unsigned int)(b - a + 1);
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\n' && *end)
			return 0;
	}
	return n;
}

void fused_uring_release(void)
{
	for (unsigned int i = 0; U.q && i < U.nq; i++) {
		struct queue *q = &U.q[i];

		if (q->ring_up)
			io_uring_queue_exit(&q->ring);
		if (q->stop_fd >= 0)
			close(q->stop_fd);
		for (int e = 0; e < DEPTH; e++)
			if (q->ent[e].hdr)
				munmap(q->ent[e].hdr, PAGE + U.payload);
	}
	if (U.spare_up)
		io_uring_queue_exit(&U.spare);
	U.spare_up = false;
	free(U.q);
	U.q = NULL;
	U.nq = 0;
}

/*
 * A queue's ring with `flags`: an SQE per entry and one for the stop's
 * poll, twice as many completions, /dev/fuse its registered file 0.
 * 0 or -errno (the ring is up, and q->ring_up set, only on 0).
 */
static int queue_ring(struct queue *q, unsigned int flags)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 | IORING_SETUP_CQSIZE | flags,
				     .cq_entries = 2 * (DEPTH + 1) };
	int rc = io_uring_queue_init_params(DEPTH + 1, &q->ring, &p);

	if (rc < 0)
		return rc;
	rc = io_uring_register_files(&q->ring, &U.fd, 1);
	if (rc < 0) {
		io_uring_queue_exit(&q->ring);
		return rc;
	}
	q->ring_up = true;
	q->disabled = flags & IORING_SETUP_R_DISABLED;
	return 0;
}

int fused_uring_prepare(int devfd, size_t payload)
{
	unsigned int nq = possible_cpus();
	struct io_uring_params sp = { .flags = IORING_SETUP_SQE128 };
	int rc = 0;

	/* fewer queues than the kernel's would leave some never ready */
	if (nq && (unsigned int)get_nprocs_conf() > nq)
		nq = (unsigned int)get_nprocs_conf();

	if (!nq || nq > 4096)
		return -ENODEV;
	U.fd = devfd;
	U.payload = (payload + PAGE - 1) / PAGE * PAGE;
	U.q = calloc(nq, sizeof(*U.q));
	if (!U.q)
		return -ENOMEM;
	U.nq = nq;
	for (unsigned int i = 0; i < nq; i++)
		U.q[i].stop_fd = -1;
	rc = io_uring_queue_init_params(2, &U.spare, &sp);
	if (rc == 0) {
		U.spare_up = true;
		rc = io_uring_register_files(&U.spare, &devfd, 1);
	}
	for (unsigned int i = 0; i < nq && !rc; i++) {
		struct queue *q = &U.q[i];

		q->qid = i;
		q->stop_fd = eventfd(0, EFD_CLOEXEC);
		if (q->stop_fd < 0) {
			rc = -errno;
			break;
		}
		/* completions are run by the queue thread when it waits
		 * (DEFER_TASKRUN, which needs one submitter: the ring starts
		 * disabled, and the thread that enables it is that one); a
		 * kernel without these flags gets the plain ring */
		rc = queue_ring(q, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
				IORING_SETUP_R_DISABLED);
		if (rc == -EINVAL)
			rc = queue_ring(q, 0);
		for (int e = 0; e < DEPTH && !rc; e++) {
			struct entry *en = &q->ent[e];
			void *m = mmap(NULL, PAGE + U.payload, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m == MAP_FAILED) {
				rc = -errno;
				break;
			}
			en->q = q;
			en->hdr = m;
			en->payload = (char *)m + PAGE;
			en->iov[0] = (struct iovec){ en->hdr, sizeof(*en->hdr) };
			en->iov[1] = (struct iovec){ en->payload, U.payload };
		}
	}
	if (rc < 0)
		fused_uring_release();
	return rc;
}

/* Make the calling thread the ring's one submitter (liburing 2.3 has no
 * io_uring_enable_rings()). */
static int enable(struct queue *q)
{
	if (!q->disabled)
		return 0;
	if (syscall(__NR_io_uring_register, q->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL,
		    0) < 0)
		return -errno;
	q->disabled = false;
	return 0;
}

/* A FUSE command in a 128-byte SQE, on /dev/fuse (registered file 0):
 * REGISTER names the two buffers `iov`, COMMIT_AND_FETCH the request. */
static void prep_cmd(struct io_uring_sqe *sqe, uint32_t cmd, unsigned int qid,
		     const struct iovec *iov, uint64_t commit_id)
{
	struct uring_cmd_req *req = (struct uring_cmd_req *)sqe->cmd;

	memset(sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->fd = 0;
	sqe->cmd_op = cmd;
	req->qid = (uint16_t)qid;
	if (cmd == URING_CMD_REGISTER) {
		sqe->addr = (uint64_t)(uintptr_t)iov;
		sqe->len = 2;
	} else {
		req->commit_id = commit_id;
	}
}

/* Queue an entry's command; the thread's next submit sends it. */
static void queue_cmd(struct entry *e, uint32_t cmd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->q->ring);

	/* an SQE per entry (and one for the stop's poll): one is always free
	 * for an entry's command, since an entry has at most one outstanding */
	if (!sqe)
		abort();
	prep_cmd(sqe, cmd, e->q->qid, e->iov, e->unique);
	io_uring_sqe_set_data(sqe, e);
	e->last_cmd = cmd;
}

/* Answer the entry's request with an error (what libfuse did not answer,
 * or a request that does not parse). */
static void answer_error(struct entry *e, int err)
{
	struct fuse_out_header *out = (struct fuse_out_header *)e->hdr->in_out;

	*out = (struct fuse_out_header){ .len = sizeof(*out), .error = -err,
					 .unique = e->unique };
	e->hdr->ent.payload_sz = 0;
	e->answered = true;
	queue_cmd(e, URING_CMD_COMMIT_AND_FETCH);
}

bool fused_uring_answer(const struct iovec *iov, int count, ssize_t *len)
{
	struct entry *e = serving;
	const struct fuse_out_header *out;
	struct fuse_out_header *dst;
	size_t n = 0;

	if (!e || count < 1 || iov[0].iov_len < sizeof(*out))
		return false;
	out = iov[0].iov_base;
	if (out->unique != e->unique || e->answered)
		return false;
	for (int i = 1; i < count; i++) {
		if (iov[i].iov_len > U.payload - n) {
			answer_error(e, EIO);
			*len = -1;
			errno = EINVAL;
			return true;
		}
		/* the source may be the request's own payload */
		memmove(e->payload + n, iov[i].iov_base, iov[i].iov_len);
		n += iov[i].iov_len;
	}
	dst = (struct fuse_out_header *)e->hdr->in_out;
	*dst = (struct fuse_out_header){ .len = (uint32_t)(sizeof(*dst) + n),
					 .error = out->error, .unique = out->unique };
	e->hdr->ent.payload_sz = (uint32_t)n;
	e->answered = true;
	queue_cmd(e, URING_CMD_COMMIT_AND_FETCH);
	*len = (ssize_t)(iov[0].iov_len + n);
	return true;
}

/* A request the kernel put in the entry: rebuild it as /dev/fuse gives
 * it, in front of the payload, and let libfuse dispatch it. */
static void serve(struct entry *e)
{
	struct fuse_in_header *in = (struct fuse_in_header *)e->hdr->in_out;
	uint32_t psz = e->hdr->ent.payload_sz;
	size_t op;
	char *buf;

	e->unique = e->hdr->ent.commit_id;
	e->answered = false;
	if (psz > U.payload || in->len < sizeof(*in) + psz ||
	    (op = in->len - sizeof(*in) - psz) > URING_HDR_SZ || in->unique != e->unique) {
		fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: a request that does not parse "
			 "(length %u, payload %u)\n", e->q->qid, in->len, psz);
		answer_error(e, EIO);
		return;
	}
	buf = e->payload - op - sizeof(*in);
	memmove(buf, in, sizeof(*in));
	memcpy(buf + sizeof(*in), e->hdr->op_in, op);
	serving = e;
	fuse_session_process_buf(U.se, &(struct fuse_buf){ .mem = buf, .size = in->len });
	serving = NULL;
	if (!e->answered)
		answer_error(e, EIO);
	__atomic_add_fetch(&U.served, 1, __ATOMIC_RELAXED);
}

/*
 * A queue that has no thread to serve it would hold back every request
 * from its CPU: before the ring is in use, a REGISTER the kernel refuses
 * (buffers of no size, sent on the spare ring: the kernel takes the queue
 * from the command) turns io_uring off for the mount and /dev/fuse
 * serves; once it is in use, the server ends (as SIGTERM ends it), and
 * the mount with it, rather than leave that CPU's callers waiting.
 */
static void refuse(struct queue *q)
{
	static struct iovec none[2];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	pthread_mutex_lock(&U.spare_lock);
	if (U.spare_up && (sqe = io_uring_get_sqe(&U.spare))) {
		prep_cmd(sqe, URING_CMD_REGISTER, q->qid, none, 0);
		if (io_uring_submit_and_wait(&U.spare, 1) >= 0 &&
		    io_uring_peek_cqe(&U.spare, &cqe) == 0)
			io_uring_cqe_seen(&U.spare, cqe);
	}
	pthread_mutex_unlock(&U.spare_lock);
	if (q->served) {
		fuse_log(FUSE_LOG_ERR, "io_uring: queue %u cannot go on: ending the mount\n",
			 q->qid);
		kill(getpid(), SIGTERM);
	}
}

/* The thread's own ring: enabled by it (its one submitter), or, if that
 * fails, made again plain. */
static int own_ring(struct queue *q)
{
	if (enable(q) == 0)
		return 0;
	io_uring_queue_exit(&q->ring);
	q->ring_up = false;
	return queue_ring(q, 0) < 0 ? -1 : 0;
}

#define RETRIES 1000  /* submissions failing in a row (1 ms apart): give up */

static void *queue_thread(void *arg)
{
	struct queue *q = arg;
	unsigned int alive = DEPTH, failed = 0;  /* entries the kernel still has */
	struct io_uring_sqe *sqe;
	cpu_set_t cpu;

	/* on the CPU whose callers it serves (an offline CPU: anywhere) */
	CPU_ZERO(&cpu);
	CPU_SET(q->qid, &cpu);
	if (pthread_setaffinity_np(pthread_self(), sizeof(cpu), &cpu) != 0) {
		/* served from another CPU: slower, still right */
	}
	if (own_ring(q) < 0) {
		fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: no ring\n", q->qid);
		refuse(q);
		return NULL;
	}
	for (int e = 0; e < DEPTH; e++)
		queue_cmd(&q->ent[e], URING_CMD_REGISTER);
	/* the stop: fused_uring_stop() writes the eventfd */
	sqe = io_uring_get_sqe(&q->ring);
	io_uring_prep_poll_add(sqe, q->stop_fd, POLLIN);
	io_uring_sqe_set_data(sqe, q);
	while (alive) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;
		int rc = io_uring_submit_and_wait(&q->ring, 1);

		if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
			/* the commands stay queued: the next round submits
			 * them */
			if (!failed)
				fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: %s; trying again\n",
					 q->qid, strerror(-rc));
			if (++failed == RETRIES) {
				refuse(q);
				break;
			}
			usleep(1000);
			continue;
		}
		failed = 0;
		io_uring_for_each_cqe(&q->ring, head, cqe) {
			struct entry *e = io_uring_cqe_get_data(cqe);

			n++;
			if ((void *)e == q) {
				alive = 0; /* stopped */
			} else if (cqe->res == 0) {
				q->served = true;
				serve(e);
			} else if (cqe->res == -EINTR || cqe->res == -EAGAIN) {
				queue_cmd(e, e->last_cmd);
			} else if (cqe->res == -ENOTCONN || cqe->res == -ECONNABORTED) {
				if (alive)
					alive--; /* the connection ended: the entry is back */
			} else if (e->last_cmd == URING_CMD_COMMIT_AND_FETCH) {
				/* the kernel did not take the answer; the entry
				 * is lost to it: its buffers, registered again,
				 * keep the queue whole */
				fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: commit: %s\n", q->qid,
					 strerror(-cqe->res));
				queue_cmd(e, URING_CMD_REGISTER);
			} else {
				/* a refused REGISTER: before the ring was in use
				 * it turned io_uring off, /dev/fuse serves */
				fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: register: %s\n", q->qid,
					 strerror(-cqe->res));
				if (alive)
					alive--;
			}
		}
		io_uring_cq_advance(&q->ring, n);
	}
	return NULL;
}

int fused_uring_start(struct fuse_session *se)
{
	int rc = 0;

	U.se = se;
	for (unsigned int i = 0; i < U.nq; i++) {
		int r = -pthread_create(&U.q[i].tid, NULL, queue_thread, &U.q[i]);

		if (r) {
			refuse(&U.q[i]);
			rc = rc ? rc : r;
		} else {
			U.q[i].running = true;
		}
	}
	U.started = true;
	return rc;
}

void fused_uring_stop(void)
{
	uint64_t one = 1;

	for (unsigned int i = 0; U.q && i < U.nq; i++)
		if (U.q[i].running && write(U.q[i].stop_fd, &one, sizeof(one)) != sizeof(one))
			fuse_log(FUSE_LOG_ERR, "io_uring: queue %u: cannot stop it\n", i);
	for (unsigned int i = 0; U.q && i < U.nq; i++)
		if (U.q[i].running && pthread_join(U.q[i].tid, NULL) == 0)
			U.q[i].running = false;
	/* the rings hold /dev/fuse open; gone, the connection ends as it does
	 * without them, cancelling what they still had */
	for (unsigned int i = 0; U.q && i < U.nq; i++) {
		if (U.q[i].ring_up)
			io_uring_queue_exit(&U.q[i].ring);
		U.q[i].ring_up = false;
	}
	if (U.spare_up)
		io_uring_queue_exit(&U.spare);
	U.spare_up = false;
}

uint64_t fused_uring_served(unsigned int *queues)
{
	*queues = U.started ? U.nq : 0;
	return __atomic_load_n(&U.served, __ATOMIC_RELAXED);
}
