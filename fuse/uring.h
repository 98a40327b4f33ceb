/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FUSE over io_uring for the portable mount's server: the kernel's
 * per-CPU request queues (Linux 6.14+, fuse.enable_uring=1), served by one
 * thread per CPU on that CPU. See uring.c.
 */
#ifndef FAMFSCTL_FUSE_URING_H
#define FAMFSCTL_FUSE_URING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct fuse_session;

/* The INIT flag (struct fuse_init_out flags2, bit 41 of the 64) by which
 * the kernel offers io_uring and the server takes it (linux/fuse.h 7.42). */
#define FUSED_FUSE_OVER_IO_URING (1ULL << 41)

/* Before the INIT reply: a ring and `payload`-byte buffers for every
 * possible CPU's queue. 0, or -errno with nothing left allocated (the
 * server then answers INIT without the flag and serves /dev/fuse). */
int fused_uring_prepare(int devfd, size_t payload);

/* After the INIT reply took the flag: start the queue threads, which
 * register their buffers; the kernel uses the ring once all have. */
int fused_uring_start(struct fuse_session *se);

/* The INIT reply failed: free what prepare took. */
void fused_uring_release(void);

/* The server's writev: true when iov answers the request this thread is
 * serving from its ring (copied there, committed with the next fetch),
 * *len then the bytes written; false for anything else (/dev/fuse's). */
bool fused_uring_answer(const struct iovec *iov, int count, ssize_t *len);

/* After the unmount: end the queue threads (each waits also on an
 * eventfd this writes) and wait for them, so none is still answering a
 * request when the session goes; then close the rings, which hold
 * /dev/fuse open (the connection then ends as it does without them). */
void fused_uring_stop(void);

/* Requests served through the ring so far, and its queues (0: not used). */
uint64_t fused_uring_served(unsigned int *queues);

#endif
