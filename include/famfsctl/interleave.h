/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Interleave sets: ordered members named by tag, recorded in this host's
 * state directory.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_INTERLEAVE_H
#define FAMFSCTL_INTERLEAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An ordered set of members named by their tags, with famfs's stripe unit
 * (chunk) and strips per file. Recorded in this host's state directory
 * ($FAMFSCTL_STATE_DIR; /var/lib/famfsctl as root; else
 * $XDG_STATE_HOME/famfsctl, ~/.local/state/famfsctl or /tmp/famfsctl-UID;
 * a simulated host's in its fabric's directory) as sets/NAME.json;
 * the members are found by tag each time, so a set survives reboots and
 * device renumbering.
 */
struct fc_policy;
struct json_object;

/**
 * struct fc_interleave_opts - What fc_interleave_create() records.
 * @name: the set's name: letters, digits, '_', '.', '-'; at most 63, not
 *	starting with '.'.
 * @policy: take the members of the policy's group (fc_policy_group()),
 *	its chunk and strips; or NULL and give @members.
 * @members: these tags, in order (NULL with @policy).
 * @nmembers: entries in @members, at most FC_MAX_MEMBERS.
 * @chunk: the stripe unit, a power-of-two multiple of 2 MiB; 0: the
 *	policy's, else 2 MiB.
 * @strips: members each file is striped over, at most 16 and at most the
 *	members; 0: the policy's, else min(members, 16).
 * @dry_run: describe the set, record nothing.
 * @flags: FC_JSON_* for *result.
 */
struct fc_interleave_opts {
	const char *name;         /* letters, digits, '_', '.', '-' */
	struct fc_policy *policy; /* its group's members, its chunk and strips; or */
	const uuid_t *members;    /* these tags, in order */
	unsigned int nmembers;
	uint64_t chunk;           /* 0: the policy's, else 2 MiB */
	unsigned int strips;      /* 0: the policy's, else min(members, 16) */
	bool dry_run;             /* describe, record nothing */
	unsigned long flags;      /* FC_JSON_* */
};
/**
 * fc_interleave_create() - Record an interleave set.
 * @ctx: the context.
 * @opts: the set.
 * @result: receives the set's description as fc_interleave_to_json()
 *	gives it (the caller puts it); may be NULL. *result must be NULL on
 *	entry: on failure a description made on the way is put and *result
 *	reset to NULL.
 *
 * Every member must have a dax device on this host claiming its tag. The
 * record is written atomically (a new file renamed over). Refreshes the
 * topology: pointers obtained before are invalid afterwards.
 *
 * Return: 0; -EINVAL for a bad name, both or neither of a policy and
 * members, a bad chunk or strips, too many members, a tag named twice;
 * -ENOENT when a member has no dax device here; -EEXIST when a set of that
 * name exists; -EIO when the record cannot be written; -ENOMEM (each
 * logged).
 */
int fc_interleave_create(struct fc_ctx *ctx, const struct fc_interleave_opts *opts,
			 struct json_object **result);
/**
 * fc_interleave_destroy() - Forget an interleave set.
 * @ctx: the context.
 * @name: the set's name.
 *
 * Only the record goes; the members' capacity and any file system on it
 * stay.
 *
 * Return: 0; -EINVAL for a bad name; -ENOENT when there is no such set;
 * another negative errno of unlink(2) (each logged).
 */
int fc_interleave_destroy(struct fc_ctx *ctx, const char *name);
/**
 * fc_interleave_get() - A set's chunk, strips and member count.
 * @ctx: the context.
 * @name: the set's name.
 * @chunk: receives the stripe unit in bytes; may be NULL.
 * @strips: receives the strips per file; may be NULL.
 * @members: receives the number of members; may be NULL.
 *
 * Return: 0; -EINVAL for a bad name or a damaged record; -ENOENT when
 * there is no such set; -ENOMEM (each logged).
 */
int fc_interleave_get(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
		      unsigned int *strips, unsigned int *members);
/**
 * fc_interleave_exists() - Is a set of that name recorded on this host?
 * @ctx: the context.
 * @name: the set's name.
 *
 * Asked quietly: nothing is logged, whatever the answer.
 *
 * Return: true when the set's record exists; false when it does not, or
 * @name is not a set name.
 */
bool fc_interleave_exists(struct fc_ctx *ctx, const char *name);
/**
 * fc_interleave_get_policy() - The policy a set was created from.
 * @ctx: the context.
 * @name: the set's name.
 * @buf: receives the policy's name, "" when the set was made from tags.
 * @len: room in @buf.
 *
 * Return: 0; -ENAMETOOLONG when @buf is too small; otherwise as for
 * fc_interleave_get().
 */
int fc_interleave_get_policy(struct fc_ctx *ctx, const char *name, char *buf, size_t len);
/**
 * fc_interleave_to_json() - Interleave sets with where their members are.
 * @ctx: the context.
 * @name: only this set; NULL: every set.
 * @flags: FC_JSON_* (FC_JSON_HUMAN: sizes as strings).
 *
 * Each set as an object: name, policy (when made from one), chunk, strips,
 * members (member, tag, present, and when present daxdev, memdev, size,
 * mode), present, complete, size. Records that cannot be read are logged
 * and left out. Refreshes the topology: pointers obtained before are
 * invalid afterwards.
 *
 * Return: a new JSON array the caller puts (empty when there is no set of
 * that name), or NULL when the topology cannot be scanned.
 */
struct json_object *fc_interleave_to_json(struct fc_ctx *ctx, const char *name,
					  unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_INTERLEAVE_H */
