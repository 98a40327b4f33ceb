/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Memory-speed access: a famfs file mapped directly as one contiguous
 * virtual range, each chunk of each strip (and each simple extent) mapped
 * with MAP_FIXED from its member at the file offset where it belongs, so
 * loads and stores go straight to the memory -- no file system, no copy, no
 * page cache. Members must be in devdax mode; a map takes one kernel mapping
 * per chunk (fewer where chunks that follow each other in the file are
 * contiguous on one member: those are merged), counted against
 * vm.max_map_count before anything is mapped. Cache maintenance between
 * hosts is the caller's: fc_flush() after writing, fc_invalidate() before
 * reading another host's writes.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_MAP_H
#define FAMFSCTL_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_famfs;
struct fc_famfs_map;
struct json_object;

/* The extended attribute a portable mount serves on each file: its layout
 * (fc_famfs_map_to_json, compact), for fc_famfs_map_layout(). */
#define FC_MAP_XATTR "user.famfsctl.map"

enum fc_map_flags {
	FC_MAP_WRITE = 1 << 0,       /* read-write: only the master (fc_famfs_is_master) */
	FC_MAP_FORCE_WRITE = 1 << 1, /* read-write even on a client: the caller takes the risk */
};

/**
 * fc_famfs_map() - map a file of a famfs directly, as one contiguous range
 * @fs: an open famfs (fc_famfs_open() or fc_famfs_open_set())
 * @path: the file, relative to the file system's root
 * @flags: 0 (read-only), FC_MAP_WRITE, or FC_MAP_FORCE_WRITE
 * @map: receives the map; fc_famfs_map_addr() is the file's first byte
 *
 * The base is aligned to 2 MiB so that devdax can use PMD pages. The
 * mapped length is the file's size rounded up to 2 MiB (its allocation).
 * Nothing is mapped when any check fails.
 *
 * Return: 0, or a negative errno (logged): -EINVAL bad flags, -ENOENT no
 * such file, -EISDIR a directory, -EPERM read-write on a client,
 * -EMEDIUMTYPE a member not in devdax mode (the message names the member,
 * its mode and how to switch), -E2BIG more mappings than vm.max_map_count
 * leaves this process (the message names the count, the limit, and a chunk
 * size or limit that would fit).
 */
int fc_famfs_map(struct fc_famfs *fs, const char *path, unsigned int flags,
		 struct fc_famfs_map **map);

/**
 * fc_famfs_map_layout() - map a range of a file from its layout
 * @ctx: a context, for messages
 * @layout: the file's layout as fc_famfs_map_to_json() renders it (without
 *	FC_JSON_HUMAN), e.g. read from a portable mount's user.famfsctl.map
 *	extended attribute
 * @off: file offset to start at, a multiple of 2 MiB
 * @len: bytes from @off (clipped to the file's size; 0: to its end)
 * @flags: as for fc_famfs_map(); read-write needs the layout's "master"
 * @map: receives the map; fc_famfs_map_addr() is the byte at @off
 *
 * What the preload library (famfsctl-run(1)) maps an application's mmap()
 * of a file under a portable mount with: no log is replayed, the layout
 * names every member's file and offsets on this host.
 *
 * Return: 0 or a negative errno, as fc_famfs_map(); -EUCLEAN for a layout
 * that does not hold together, or the errno of opening a member's file.
 */
int fc_famfs_map_layout(struct fc_ctx *ctx, struct json_object *layout, uint64_t off,
			uint64_t len, unsigned int flags, struct fc_famfs_map **map);

/**
 * fc_famfs_map_addr() - where a map starts
 * @map: a map
 *
 * Return: the address of the first mapped file byte.
 */
void *fc_famfs_map_addr(struct fc_famfs_map *map);

/**
 * fc_famfs_map_size() - the mapped file's size
 * @map: a map
 *
 * Return: the file's size in bytes (the map may extend to its 2 MiB
 * allocation boundary).
 */
uint64_t fc_famfs_map_size(struct fc_famfs_map *map);

/**
 * fc_famfs_map_length() - how many bytes a map covers
 * @map: a map
 *
 * Return: the mapped length from fc_famfs_map_addr(), a multiple of 2 MiB.
 */
uint64_t fc_famfs_map_length(struct fc_famfs_map *map);

/**
 * fc_famfs_map_count() - the kernel mappings a map uses
 * @map: a map
 *
 * Return: mappings made (after merging chunks contiguous on one member).
 */
unsigned long fc_famfs_map_count(struct fc_famfs_map *map);

/**
 * fc_famfs_unmap() - unmap and free a map
 * @map: a map, or NULL
 */
void fc_famfs_unmap(struct fc_famfs_map *map);

/**
 * fc_famfs_map_free() - free a map's object, leaving its range alone
 * @map: a map, or NULL
 *
 * For a caller that unmapped the range itself, piece by piece (the preload
 * library, after an application's munmap() calls).
 */
void fc_famfs_map_free(struct fc_famfs_map *map);

/**
 * fc_flush() - write back what this host wrote, for other hosts to read
 * @addr: start of the range
 * @len: its length
 *
 * After writing through a map: every cache line of the range is written
 * back (clwb or clflushopt on x86-64), then a fence. The writer calls it;
 * until it does, other hosts may read the old bytes.
 */
void fc_flush(const void *addr, size_t len);

/**
 * fc_invalidate() - drop cached lines before reading another host's writes
 * @addr: start of the range
 * @len: its length
 *
 * Before reading bytes another host wrote and flushed: every cache line of
 * the range is written back and dropped, then a fence, so the next loads
 * come from memory. The reader calls it; without it a reader may keep
 * seeing lines it cached before.
 */
void fc_invalidate(const void *addr, size_t len);

/**
 * fc_famfs_map_to_json() - a file's map as JSON (famfsctl getmap)
 * @fs: an open famfs
 * @path: the file
 * @flags: FC_JSON_HUMAN for human-readable sizes
 *
 * {"path", "size", "type" ("simple" or "interleaved"), "chunk", "strips",
 * "master", "extents": [{"member", "tag", "device", "offset", "length"}],
 * "members": [{"member", "tag", "device", "path", "mode"?, "segments":
 * [{"offset", "length", "file_offset"}]}]}: extents are the file's simple
 * extents or strips (member index, its tag, its device on this host, offset
 * and length on the member); members say where each member's bytes sit in
 * a file this host can map (path: a devdax device, a member file, or a
 * simulated device's backing file), and "mode" when that mode has no mmap.
 *
 * Return: a new object, or NULL (logged) when there is no such file.
 */
struct json_object *fc_famfs_map_to_json(struct fc_famfs *fs, const char *path,
					 unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_MAP_H */
