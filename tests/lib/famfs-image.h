/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * famfs images for the hostile-input tests and the fuzz target: members as
 * sparse files under a temporary directory, formatted through the API and
 * mapped here so a test can craft any byte. Offsets are ABI.md section 5's,
 * CRCs computed here with zlib, independently of the library's own code.
 */
#ifndef TESTS_FAMFS_IMAGE_H
#define TESTS_FAMFS_IMAGE_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <famfsctl/libfamfsctl.h>

#define IMG_MiB (1ULL << 20)
#define IMG_GiB (1ULL << 30)
#define IMG_MAX 8
#define IMG_LOG_OFF (2 * IMG_MiB)
#define IMG_LOG_LEN (8 * IMG_MiB)
#define IMG_ENTRY(i) (IMG_LOG_OFF + 48 + (uint64_t)(i) * 544)
/* within an entry */
#define E_SEQ 0
#define E_TYPE 8
#define E_CRC 536
#define E_PAYLOAD 16
/* FILE payload: size, flags, uid, gid, mode, relpath[80], fmap */
#define F_SIZE (E_PAYLOAD + 0)
#define F_PATH (E_PAYLOAD + 24)
#define F_FMAP (E_PAYLOAD + 104)
#define FM_TYPE (F_FMAP + 0)
#define FM_COUNT (F_FMAP + 8)
#define FM_SE(k) (F_FMAP + 16 + (k) * 24) /* devindex, offset, len */
#define FM_NSTRIPS (F_FMAP + 16)
#define FM_CHUNK (F_FMAP + 24)
#define FM_STRIP(s) (F_FMAP + 32 + (s) * 24)
/* MKDIR payload: uid, gid, mode, relpath */
#define D_PATH (E_PAYLOAD + 12)
/* ADD_DAXDEV payload: size, uuid, index */
#define A_SIZE (E_PAYLOAD + 0)
#define A_UUID (E_PAYLOAD + 8)
#define A_INDEX (E_PAYLOAD + 24)
/* log header */
#define H_NEXT_SEQ (IMG_LOG_OFF + 32)
#define H_NEXT_INDEX (IMG_LOG_OFF + 40)

struct img {
	char dir[64];
	char path[IMG_MAX][128];
	const char *pp[IMG_MAX];
	unsigned int n;
	uint8_t *map[IMG_MAX];
	uint64_t size[IMG_MAX];
	uuid_t tags[IMG_MAX];
	uuid_t master;
};

/* n members (primary 4 GiB, secondaries `secondary` bytes), formatted. */
static inline int img_create(struct fc_ctx *ctx, struct img *im, const char *dir,
			     unsigned int n, uint64_t secondary)
{
	struct fc_famfs_format_opts o = { .log_len = IMG_LOG_LEN, .force = true };

	memset(im, 0, sizeof(*im));
	snprintf(im->dir, sizeof(im->dir), "%s", dir);
	im->n = n;
	memset(im->master, 0x5a, 16);
	for (unsigned int i = 0; i < n; i++) {
		int fd;

		snprintf(im->path[i], sizeof(im->path[i]), "%s/m%u", dir, i);
		im->pp[i] = im->path[i];
		im->size[i] = i ? secondary : 4 * IMG_GiB;
		fd = open(im->path[i], O_CREAT | O_RDWR | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, (off_t)im->size[i]) < 0)
			return -1;
		im->map[i] = mmap(NULL, im->size[i], PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (im->map[i] == MAP_FAILED)
			return -1;
		memset(im->tags[i], 0x33, 16);
		im->tags[i][15] = (uint8_t)i;
	}
	o.tags = (const uuid_t *)im->tags;
	memcpy(o.system_uuid, im->master, 16);
	return fc_famfs_format(ctx, im->pp, n, &o, NULL);
}

static inline void img_destroy(struct img *im)
{
	for (unsigned int i = 0; i < im->n; i++) {
		munmap(im->map[i], im->size[i]);
		unlink(im->path[i]);
	}
}

static inline uint64_t *img_u64(struct img *im, unsigned int m, uint64_t off)
{
	return (uint64_t *)(im->map[m] + off);
}

static inline uint32_t *img_u32(struct img *im, unsigned int m, uint64_t off)
{
	return (uint32_t *)(im->map[m] + off);
}

/* A field of log entry i on the primary. */
#define ENT64(im, i, f) (*img_u64((im), 0, IMG_ENTRY(i) + (f)))
#define ENT32(im, i, f) (*img_u32((im), 0, IMG_ENTRY(i) + (f)))
#define ENTSTR(im, i, f) ((char *)(im)->map[0] + IMG_ENTRY(i) + (f))

static inline void img_fix_entry(struct img *im, uint64_t i)
{
	uint8_t *e = im->map[0] + IMG_ENTRY(i);
	uint64_t crc = crc32(crc32(0L, Z_NULL, 0), e, E_CRC);

	memcpy(e + E_CRC, &crc, 8);
}

/* Version 48: crc32 over [0, 96) at 96; version 49 adds the primary's
 * uuid: over [0, 112) at 112. */
static inline void img_fix_superblock(struct img *im, unsigned int m)
{
	size_t at = *(uint64_t *)(im->map[m] + 8) == 49 ? 112 : 96;
	uint64_t crc = crc32(crc32(0L, Z_NULL, 0), im->map[m], at);

	memcpy(im->map[m] + at, &crc, 8);
}

static inline void img_fix_header(struct img *im)
{
	uint8_t *h = im->map[0] + IMG_LOG_OFF;
	uint64_t crc = crc32(crc32(0L, Z_NULL, 0), h, 24);

	memcpy(h + 24, &crc, 8);
}

/* Commit entries up to (not including) `next`, as an append does. */
static inline void img_set_next(struct img *im, uint64_t next)
{
	*img_u64(im, 0, H_NEXT_SEQ) = next;
	*img_u64(im, 0, H_NEXT_INDEX) = next;
}

#endif /* TESTS_FAMFS_IMAGE_H */
