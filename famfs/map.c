// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The direct map: a file as one contiguous virtual range, loads and stores
 * straight to its members (devdax: doc/kernel-famfs-mode.md says why famfs
 * mode cannot be mapped).
 *
 * A file's layout (fc_famfs_map_to_json) names its extents or strips and,
 * for every member it uses, where that member's bytes sit in a file this
 * host can mmap (famfs/media.h: a devdax device, a member file, a
 * simulated device's backing file, extent by extent). Mapping a layout:
 *   1. parse and check it (every extent inside its member, members mappable);
 *   2. walk the window chunk by chunk, merging pieces that follow each
 *      other in the file and in one member's file, and count the mappings;
 *   3. refuse (-E2BIG) when they would not fit under vm.max_map_count;
 *   4. reserve an aligned PROT_NONE range, open each member's file once;
 *   5. walk again, mapping each piece MAP_FIXED over its place;
 *   any failure unmaps the whole range: never half a map.
 * fc_famfs_map() renders the layout of an open file system's file and maps
 * it; the preload library maps the layout a mount server hands it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <json-c/json.h>
#include <famfsctl/map.h>
#include <famfsctl/json.h>
#include "famfs/fs.h"
#include "famfs/map.h"
#include "util/cacheflush.h"
#include "util/export.h"
#include "util/log.h"
#include "util/size.h"

#define MAP_ALIGN (2ULL << 20) /* devdax PMD pages, and the allocation unit */
#define MAP_ALIGN_MAX (16ULL << 30)
/* mappings left for the process itself (malloc arenas, libraries loaded later) */
#define MAP_HEADROOM 64

struct fc_famfs_map {
	uint8_t *base;       /* the reserved, aligned range */
	uint64_t len;        /* its length */
	uint64_t size;       /* the file's size */
	unsigned long count; /* kernel mappings made */
};

/* ---- the layout ---------------------------------------------------------- */

struct lay_member {
	int index;
	const char *device, *path, *mode;
	struct famfs_media_seg *segs;
	unsigned int nsegs;
	uint64_t size;
	uint64_t align; /* what a mapping of its file needs (devdax: its align) */
	int fd;
};

struct lay_extent {
	unsigned int member; /* slot in layout.mem */
	uint64_t off, len;
};

struct layout {
	const char *path;
	uint64_t size, chunk;
	bool striped, master;
	unsigned int next;
	struct lay_extent ext[FAMFS_MAX_STRIPS > FAMFS_MAX_SIMPLE_EXTENTS ?
			      FAMFS_MAX_STRIPS : FAMFS_MAX_SIMPLE_EXTENTS];
	unsigned int nmem;
	struct lay_member mem[FAMFS_MAX_STRIPS > FAMFS_MAX_SIMPLE_EXTENTS ?
			      FAMFS_MAX_STRIPS : FAMFS_MAX_SIMPLE_EXTENTS];
};

static void layout_free(struct layout *l)
{
	for (unsigned int i = 0; i < l->nmem; i++) {
		free(l->mem[i].segs);
		if (l->mem[i].fd >= 0)
			close(l->mem[i].fd);
	}
}

static bool get_u64(json_object *o, const char *key, uint64_t *v)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_int))
		return false;
	*v = json_object_get_uint64(x);
	return true;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

static int bad(struct util_log_ctx *lc, const char *path, const char *what)
{
	log_err(lc, "'%s': its map does not hold together: %s\n", path ? path : "?", what);
	return -EUCLEAN;
}

static int parse_member(struct util_log_ctx *lc, struct layout *l, json_object *j)
{
	struct lay_member *m = &l->mem[l->nmem];
	json_object *segs;
	uint64_t idx, at = 0;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (!get_u64(j, "member", &idx) || idx >= FC_MAX_MEMBERS ||
	    !(m->device = get_str(j, "device")))
		return bad(lc, l->path, "a member without index or device");
	m->index = (int)idx;
	m->path = get_str(j, "path");
	m->mode = get_str(j, "mode");
	if (!get_u64(j, "align", &m->align))
		m->align = MAP_ALIGN;
	if (!famfs_is_pow2(m->align) || m->align > MAP_ALIGN_MAX)
		return bad(lc, l->path, "a member's align is not a power of two up to 16 GiB");
	if (m->align < MAP_ALIGN)
		m->align = MAP_ALIGN;
	if (!json_object_object_get_ex(j, "segments", &segs) ||
	    !json_object_is_type(segs, json_type_array))
		return bad(lc, l->path, "a member without segments");
	m->nsegs = (unsigned int)json_object_array_length(segs);
	m->segs = calloc(m->nsegs ? m->nsegs : 1, sizeof(*m->segs));
	if (!m->segs)
		return -ENOMEM;
	l->nmem++;
	for (unsigned int i = 0; i < m->nsegs; i++) {
		json_object *s = json_object_array_get_idx(segs, i);
		struct famfs_media_seg *g = &m->segs[i];

		if (!get_u64(s, "offset", &g->off) || !get_u64(s, "length", &g->len) ||
		    !get_u64(s, "file_offset", &g->file_off) || g->off != at ||
		    g->len % MAP_ALIGN || g->file_off % MAP_ALIGN)
			return bad(lc, l->path, "member segments not in order or not 2 MiB aligned");
		at += g->len;
	}
	m->size = at;
	if (m->nsegs && !m->path)
		return bad(lc, l->path, "a member with segments but no path");
	return 0;
}

static int find_member(const struct layout *l, uint64_t index)
{
	for (unsigned int i = 0; i < l->nmem; i++)
		if ((uint64_t)l->mem[i].index == index)
			return (int)i;
	return -1;
}

static int parse_layout(struct util_log_ctx *lc, json_object *j, struct layout *l)
{
	json_object *exts, *mems, *x;
	const char *type;
	int rc;

	memset(l, 0, sizeof(*l));
	l->path = get_str(j, "path");
	type = get_str(j, "type");
	if (!type || !get_u64(j, "size", &l->size) || !get_u64(j, "chunk", &l->chunk))
		return bad(lc, l->path, "no type, size or chunk (a human-readable rendering?)");
	l->striped = !strcmp(type, "interleaved");
	if (!l->striped && strcmp(type, "simple"))
		return bad(lc, l->path, "type is neither simple nor interleaved");
	l->master = json_object_object_get_ex(j, "master", &x) && json_object_get_boolean(x);
	if (l->striped && (l->chunk < MAP_ALIGN || !famfs_is_pow2(l->chunk)))
		return bad(lc, l->path, "chunk is not a power-of-two multiple of 2 MiB");
	if (!json_object_object_get_ex(j, "members", &mems) ||
	    !json_object_is_type(mems, json_type_array) ||
	    json_object_array_length(mems) > ARRAY_SIZE(l->mem))
		return bad(lc, l->path, "no members, or too many");
	for (size_t i = 0; i < json_object_array_length(mems); i++) {
		rc = parse_member(lc, l, json_object_array_get_idx(mems, i));
		if (rc < 0)
			return rc;
	}
	if (!json_object_object_get_ex(j, "extents", &exts) ||
	    !json_object_is_type(exts, json_type_array) ||
	    json_object_array_length(exts) == 0 ||
	    json_object_array_length(exts) > ARRAY_SIZE(l->ext))
		return bad(lc, l->path, "no extents, or more than 16");
	l->next = (unsigned int)json_object_array_length(exts);
	for (unsigned int i = 0; i < l->next; i++) {
		json_object *e = json_object_array_get_idx(exts, i);
		uint64_t member;
		int slot;

		if (!get_u64(e, "member", &member) || !get_u64(e, "offset", &l->ext[i].off) ||
		    !get_u64(e, "length", &l->ext[i].len) || l->ext[i].off % MAP_ALIGN ||
		    l->ext[i].len % MAP_ALIGN || !l->ext[i].len)
			return bad(lc, l->path, "an extent without member, offset or length, or not 2 MiB aligned");
		slot = find_member(l, member);
		if (slot < 0)
			return bad(lc, l->path, "an extent on a member the map does not describe");
		l->ext[i].member = (unsigned int)slot;
	}
	return 0;
}

/* ---- walking a window: pieces, merged, in file order --------------------- */

struct piece {
	unsigned int member; /* slot */
	uint64_t file_off;   /* in the member's map file */
	uint64_t len;
	uint64_t at;         /* offset in the window */
};

typedef int (*piece_fn)(void *arg, const struct piece *p);

/* Emit [moff, moff+len) of member slot `ms` at window offset `at`, split
 * where the member's segments split, merged with the pending piece when
 * contiguous in the same file. */
static int emit(const struct layout *l, unsigned int ms, uint64_t moff, uint64_t len,
		uint64_t at, struct piece *pend, piece_fn fn, void *arg)
{
	const struct lay_member *m = &l->mem[ms];
	unsigned int s = 0;
	int rc;

	while (len) {
		const struct famfs_media_seg *g;
		uint64_t take, foff;

		while (s < m->nsegs && moff >= m->segs[s].off + m->segs[s].len)
			s++;
		if (s == m->nsegs)
			return -ERANGE;
		g = &m->segs[s];
		foff = g->file_off + (moff - g->off);
		take = g->off + g->len - moff;
		if (take > len)
			take = len;
		if (pend->len && pend->member == ms && pend->file_off + pend->len == foff &&
		    pend->at + pend->len == at) {
			pend->len += take;
		} else {
			if (pend->len && (rc = fn(arg, pend)) < 0)
				return rc;
			*pend = (struct piece){ .member = ms, .file_off = foff, .len = take, .at = at };
		}
		moff += take;
		at += take;
		len -= take;
	}
	return 0;
}

static int walk(struct util_log_ctx *lc, const struct layout *l, uint64_t off, uint64_t len,
		piece_fn fn, void *arg)
{
	struct piece pend = { 0 };
	uint64_t pos = off, end = off + len;
	int rc = 0;

	while (pos < end && rc == 0) {
		unsigned int ms;
		uint64_t moff, take;

		if (l->striped) {
			uint64_t c = pos / l->chunk, within;
			const struct lay_extent *e = &l->ext[c % l->next];

			within = (c / l->next) * l->chunk + pos % l->chunk;
			if (within >= e->len)
				return bad(lc, l->path, "a strip shorter than the file needs");
			ms = e->member;
			moff = e->off + within;
			take = l->chunk - pos % l->chunk;
			if (take > e->len - within)
				take = e->len - within;
		} else {
			uint64_t skip = pos;
			unsigned int i = 0;

			while (i < l->next && skip >= l->ext[i].len)
				skip -= l->ext[i++].len;
			if (i == l->next)
				return bad(lc, l->path, "extents shorter than the file");
			ms = l->ext[i].member;
			moff = l->ext[i].off + skip;
			take = l->ext[i].len - skip;
		}
		if (take > end - pos)
			take = end - pos;
		rc = emit(l, ms, moff, take, pos - off, &pend, fn, arg);
		if (rc == -ERANGE)
			return bad(lc, l->path, "an extent beyond its member's end");
		pos += take;
	}
	if (rc == 0 && pend.len)
		rc = fn(arg, &pend);
	return rc;
}

/* ---- the mapping count --------------------------------------------------- */

static int count_piece(void *arg, const struct piece *p)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* vm.max_map_count; FAMFSCTL_MAX_MAP_COUNT stands in for it (tests). */
static uint64_t max_map_count(void)
{
	const char *env = getenv("FAMFSCTL_MAX_MAP_COUNT");
	unsigned long long v = 65530;
	FILE *f;

	if (env && *env)
		return strtoull(env, NULL, 0);
	f = fopen("/proc/sys/vm/max_map_count", "re");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 65530;
		fclose(f);
	}
	return v;
}

static uint64_t maps_in_use(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	uint64_t n = 0;
	int c;

	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

static int check_count(struct util_log_ctx *lc, const struct layout *l, uint64_t len,
		       unsigned long count)
{
	uint64_t limit = max_map_count(), used = maps_in_use(), room, fit = 0;
	char c[UTIL_SIZE_STR_MAX], f[UTIL_SIZE_STR_MAX];

	room = limit > used + MAP_HEADROOM ? limit - used - MAP_HEADROOM : 0;
	if (count <= room)
		return 0;
	/* the smallest chunk whose mapping count fits: about one per chunk */
	if (l->striped)
		for (uint64_t ch = l->chunk * 2; ch && ch <= len; ch *= 2)
			if ((len + ch - 1) / ch <= room) {
				fit = ch;
				break;
			}
	if (fit)
		util_format_size(fit, f, sizeof(f));
	log_err(lc, "'%s': a direct map needs %lu mappings (%s%s over %u %s), more than vm.max_map_count = %" PRIu64
		    " leaves this process (%" PRIu64 " in use): %s%s%sraise it: sysctl vm.max_map_count=%" PRIu64 "\n",
		l->path ? l->path : "?", count, l->striped ? "chunk " : "",
		l->striped ? util_format_size(l->chunk, c, sizeof(c)) : "simple extents",
		l->next, l->striped ? "strips" : "extents", limit, used,
		fit ? "a file created with a chunk of " : "", fit ? f : "", fit ? " would fit, or " : "",
		used + MAP_HEADROOM + count);
	return -E2BIG;
}

/* ---- mapping ------------------------------------------------------------- */

struct mapper {
	struct util_log_ctx *lc;
	const struct layout *l;
	uint8_t *base;
	int prot;
	unsigned long count;
};

static int map_piece(void *arg, const struct piece *p)
{
	struct mapper *mp = arg;
	const struct lay_member *m = &mp->l->mem[p->member];
	void *at = mmap(mp->base + p->at, p->len, mp->prot, MAP_SHARED | MAP_FIXED, m->fd,
			(off_t)p->file_off);

	if (at == MAP_FAILED) {
		int rc = -errno;

		log_err(mp->lc, "'%s': cannot map %s at %#" PRIx64 " (member %d): %s\n",
			mp->l->path ? mp->l->path : "?", m->path, p->file_off, m->index,
			strerror(errno));
		return rc;
	}
	mp->count++;
	return 0;
}

/*
 * A devdax device maps only whole pages of its align (1 GiB ones, say):
 * every piece's place in the map, length and offset in the member's file
 * must be multiples of it, or the kernel refuses the mmap. The map's base
 * is aligned to the largest align of the members used.
 */
struct aligner {
	struct util_log_ctx *lc;
	const struct layout *l;
};

static uint64_t layout_align(const struct layout *l)
{
	uint64_t a = MAP_ALIGN;

	for (unsigned int i = 0; i < l->next; i++)
		if (l->mem[l->ext[i].member].align > a)
			a = l->mem[l->ext[i].member].align;
	return a;
}

static int check_piece(void *arg, const struct piece *p)
{
	struct aligner *al = arg;
	const struct lay_member *m = &al->l->mem[p->member];
	char a[UTIL_SIZE_STR_MAX], c[UTIL_SIZE_STR_MAX];

	if (!((p->at | p->len | p->file_off) & (m->align - 1)))
		return 0; /* the base is aligned to the largest align */
	log_err(al->lc, "'%s': member %d (%s) maps only in pages of its align, %s; the file's piece at offset %#" PRIx64 " of it, %s long, is not a multiple of them (a direct map there needs extents%s that are): use the portable mount, or a devdax align of 2 MiB\n",
		al->l->path ? al->l->path : "?", m->index, m->device,
		util_format_size(m->align, a, sizeof(a)), p->file_off,
		util_format_size(p->len, c, sizeof(c)), al->l->striped ? " and a chunk" : "");
	return -EINVAL;
}

/* Members the window uses are those of its extents: all, for simplicity
 * (a window of a striped file touches every strip once it spans a row). */
static int open_members(struct util_log_ctx *lc, struct layout *l, bool write)
{
	for (unsigned int i = 0; i < l->next; i++) {
		struct lay_member *m = &l->mem[l->ext[i].member];

		if (m->fd >= 0)
			continue;
		m->fd = open(m->path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (m->fd < 0) {
			int rc = -errno;

			log_err(lc, "'%s': member %d: cannot open %s: %s\n", l->path ? l->path : "?",
				m->index, m->path, strerror(errno));
			return rc;
		}
	}
	return 0;
}

static int check_modes(struct util_log_ctx *lc, const struct layout *l)
{
	for (unsigned int i = 0; i < l->next; i++) {
		const struct lay_member *m = &l->mem[l->ext[i].member];

		if (m->mode || !m->nsegs) {
			log_err(lc, "'%s': member %d (%s) is in %s mode, which has no mmap; a direct map needs devdax: 'daxctl reconfigure-device --mode=devdax %s' (famfsctl up and udev leave a policy's members in devdax unless its mount_mode is famfs)\n",
				l->path ? l->path : "?", m->index, m->device,
				m->mode ? m->mode : "an unmappable", m->device);
			return -EMEDIUMTYPE;
		}
	}
	return 0;
}

int famfs_map_layout(struct util_log_ctx *lc, json_object *j, uint64_t off, uint64_t len,
		     unsigned int flags, struct fc_famfs_map **out)
{
	bool write = flags & (FC_MAP_WRITE | FC_MAP_FORCE_WRITE);
	struct fc_famfs_map *map = NULL;
	struct layout l;
	struct mapper mp = { .lc = lc, .l = &l };
	unsigned long count = 0;
	uint64_t maplen;
	uint8_t *raw;
	int rc;

	if (flags & ~(unsigned int)(FC_MAP_WRITE | FC_MAP_FORCE_WRITE) || off % MAP_ALIGN) {
		log_err(lc, "direct map: unknown flags %#x or an offset not a multiple of 2 MiB\n",
			flags);
		return -EINVAL;
	}
	rc = parse_layout(lc, j, &l);
	if (rc < 0)
		goto out;
	if (write && !l.master && !(flags & FC_MAP_FORCE_WRITE)) {
		log_err(lc, "'%s': only the master maps files read-write; this host is a client (FC_MAP_FORCE_WRITE overrides, at the caller's risk)\n",
			l.path ? l.path : "?");
		rc = -EPERM;
		goto out;
	}
	if (off >= l.size && l.size) {
		log_err(lc, "'%s': offset %" PRIu64 " is beyond its size\n", l.path ? l.path : "?", off);
		rc = -EINVAL;
		goto out;
	}
	if (!len || len > l.size - off)
		len = l.size - off;
	/* whole 2 MiB units: devdax maps nothing smaller, the allocation has them */
	maplen = (len + MAP_ALIGN - 1) / MAP_ALIGN * MAP_ALIGN;
	rc = check_modes(lc, &l);
	if (rc == 0)
		rc = walk(lc, &l, off, maplen, check_piece,
			  &(struct aligner){ .lc = lc, .l = &l });
	if (rc == 0)
		rc = walk(lc, &l, off, maplen, count_piece, &count);
	if (rc == 0)
		rc = check_count(lc, &l, maplen, count);
	if (rc == 0)
		rc = open_members(lc, &l, write);
	map = calloc(1, sizeof(*map));
	if (rc == 0 && !map)
		rc = -ENOMEM;
	if (rc < 0)
		goto out;
	map->size = l.size;
	map->len = maplen;
	if (maplen) {
		uint64_t align = layout_align(&l);

		raw = mmap(NULL, maplen + align, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (raw == MAP_FAILED) {
			rc = -errno;
			log_err(lc, "'%s': cannot reserve %" PRIu64 " bytes of address space: %s\n",
				l.path ? l.path : "?", maplen, strerror(errno));
			goto out;
		}
		/* keep the aligned part */
		map->base = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
		if (map->base > raw)
			munmap(raw, (size_t)(map->base - raw));
		if (raw + maplen + align > map->base + maplen)
			munmap(map->base + maplen, (size_t)(raw + align - map->base));
		mp.base = map->base;
		mp.prot = PROT_READ | (write ? PROT_WRITE : 0);
		rc = walk(lc, &l, off, maplen, map_piece, &mp);
		if (rc < 0) {
			munmap(map->base, maplen);
			goto out;
		}
	}
	map->count = mp.count;
	*out = map;
	map = NULL;
out:
	free(map);
	layout_free(&l);
	return rc;
}

/* ---- a file of an open file system --------------------------------------- */

static void add_size(json_object *o, const char *key, uint64_t v, unsigned long flags)
{
	char buf[UTIL_SIZE_STR_MAX];

	json_object_object_add(o, key, flags & FC_JSON_HUMAN ?
				json_object_new_string(util_format_size(v, buf, sizeof(buf))) :
				json_object_new_uint64(v));
}

static void add_tag(json_object *o, struct fc_famfs *fs, uint64_t member)
{
	char t[37];

	uuid_unparse_lower(famfs_sb_of(fs->mem[member].m)->ts_dev_uuid, t);
	json_object_object_add(o, "tag", json_object_new_string(t));
}

static json_object *member_json(struct fc_famfs *fs, uint64_t i, unsigned long flags)
{
	struct fc_media *m = fs->mem[i].m;
	json_object *o = json_object_new_object(), *segs = json_object_new_array();

	json_object_object_add(o, "member", json_object_new_uint64(i));
	add_tag(o, fs, i);
	json_object_object_add(o, "device", json_object_new_string(m->name));
	if (m->map_path)
		json_object_object_add(o, "path", json_object_new_string(m->map_path));
	if (m->nomap_mode)
		json_object_object_add(o, "mode", json_object_new_string(m->nomap_mode));
	if (m->map_align)
		add_size(o, "align", m->map_align, flags);
	for (unsigned int s = 0; s < m->nsegs && !m->nomap_mode; s++) {
		json_object *g = json_object_new_object();

		add_size(g, "offset", m->segs[s].off, flags);
		add_size(g, "length", m->segs[s].len, flags);
		add_size(g, "file_offset", m->segs[s].file_off, flags);
		json_object_array_add(segs, g);
	}
	json_object_object_add(o, "segments", segs);
	return o;
}

static int file_layout(struct fc_famfs *fs, const char *path, unsigned long flags,
		       json_object **out)
{
	const struct famfs_simple_extent *se;
	const struct famfs_log_fmap *f;
	struct famfs_log_entry *le;
	char rel[FAMFS_MAX_PATHLEN];
	bool used[FC_MAX_MEMBERS] = { false };
	json_object *o, *exts, *mems;
	unsigned int n;
	int rc = famfs_check_path(fs->lc, path, rel);

	if (rc < 0)
		return rc;
	le = famfs_lookup(fs, rel);
	if (!le) {
		log_err(fs->lc, "'%s': no such file\n", rel);
		return -ENOENT;
	}
	if (le->famfs_log_entry_type != FAMFS_LOG_FILE) {
		log_err(fs->lc, "'%s': a directory\n", rel);
		return -EISDIR;
	}
	f = &le->famfs_fc.famfs_fc_fmap;
	if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		se = f->ie.ie_strips;
		n = (unsigned int)f->ie.ie_nstrips;
	} else {
		se = f->se;
		n = f->fmap_count;
	}
	if (n == 0 || n > FAMFS_MAX_STRIPS || (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE &&
						f->fmap_count != 1)) {
		log_err(fs->lc, "'%s': its extent map is damaged\n", rel);
		return -EUCLEAN;
	}
	for (unsigned int i = 0; i < n; i++)
		if (se[i].se_devindex >= fs->n) {
			log_err(fs->lc, "'%s': an extent on member %" PRIu64 ", the file system has %u\n",
				rel, (uint64_t)se[i].se_devindex, fs->n);
			return -EUCLEAN;
		}
	o = json_object_new_object();
	json_object_object_add(o, "path", json_object_new_string(path));
	add_size(o, "size", le->famfs_fc.famfs_fc_size, flags);
	json_object_object_add(o, "type", json_object_new_string(
		f->fmap_ext_type == FAMFS_EXT_INTERLEAVE ? "interleaved" : "simple"));
	add_size(o, "chunk", f->fmap_ext_type == FAMFS_EXT_INTERLEAVE ? f->ie.ie_chunk_size : 0,
		 flags);
	json_object_object_add(o, "strips", json_object_new_uint64(
		f->fmap_ext_type == FAMFS_EXT_INTERLEAVE ? n : 0));
	json_object_object_add(o, "master", json_object_new_boolean(fc_famfs_is_master(fs)));
	exts = json_object_new_array();
	mems = json_object_new_array();
	for (unsigned int i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		uint64_t d = se[i].se_devindex;

		json_object_object_add(e, "member", json_object_new_uint64(d));
		add_tag(e, fs, d);
		json_object_object_add(e, "device", json_object_new_string(fs->mem[d].m->name));
		add_size(e, "offset", se[i].se_offset, flags);
		add_size(e, "length", se[i].se_len, flags);
		json_object_array_add(exts, e);
		if (!used[d])
			json_object_array_add(mems, member_json(fs, d, flags));
		used[d] = true;
	}
	json_object_object_add(o, "extents", exts);
	json_object_object_add(o, "members", mems);
	*out = o;
	return 0;
}

FC_EXPORT struct json_object *fc_famfs_map_to_json(struct fc_famfs *fs, const char *path,
						   unsigned long flags)
{
	json_object *o = NULL;

	return file_layout(fs, path, flags, &o) == 0 ? o : NULL;
}

FC_EXPORT int fc_famfs_map(struct fc_famfs *fs, const char *path, unsigned int flags,
			   struct fc_famfs_map **map)
{
	json_object *o;
	int rc;

	if (flags & ~(unsigned int)(FC_MAP_WRITE | FC_MAP_FORCE_WRITE)) {
		log_err(fs->lc, "fc_famfs_map: unknown flags %#x\n", flags);
		return -EINVAL;
	}
	rc = file_layout(fs, path, 0, &o);
	if (rc < 0)
		return rc;
	rc = famfs_map_layout(fs->lc, o, 0, 0, flags, map);
	json_object_put(o);
	return rc;
}

FC_EXPORT void *fc_famfs_map_addr(struct fc_famfs_map *map)
{
	return map->base;
}

FC_EXPORT uint64_t fc_famfs_map_size(struct fc_famfs_map *map)
{
	return map->size;
}

FC_EXPORT uint64_t fc_famfs_map_length(struct fc_famfs_map *map)
{
	return map->len;
}

FC_EXPORT unsigned long fc_famfs_map_count(struct fc_famfs_map *map)
{
	return map->count;
}

FC_EXPORT void fc_famfs_unmap(struct fc_famfs_map *map)
{
	if (!map)
		return;
	if (map->base)
		munmap(map->base, map->len);
	free(map);
}

FC_EXPORT void fc_famfs_map_free(struct fc_famfs_map *map)
{
	free(map);
}

FC_EXPORT void fc_flush(const void *addr, size_t len)
{
	util_cache_flush(addr, len);
}

FC_EXPORT void fc_invalidate(const void *addr, size_t len)
{
	util_cache_invalidate(addr, len);
}
