/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libfamfsctl: the public interface of famfsctl's engine, one header per
 * domain, all included here.
 *
 * Conventions (the same as libcxl and libdaxctl):
 *  - one opaque, refcounted context (fc_new / fc_ref / fc_unref, ctx.h);
 *  - objects are owned by the context and reached with *_get_first /
 *    *_get_next iterators, wrapped by *_foreach macros;
 *  - every operation returns 0 or a negative errno and logs why through the
 *    context's log function.
 *
 * Installed as <famfsctl/libfamfsctl.h>; link with
 * `pkg-config --cflags --libs libfamfsctl`.
 */
#ifndef LIBFAMFSCTL_H
#define LIBFAMFSCTL_H

#include <famfsctl/ctx.h>        /* context, logging, platform */
#include <famfsctl/size.h>       /* sizes in and out */
#include <famfsctl/host.h>       /* memdevs, dax regions, extents, dax devices */
#include <famfsctl/fabric.h>     /* fabric managers (plugin.h) */
#include <famfsctl/policy.h>     /* policies */
#include <famfsctl/alloc.h>      /* allocation groups */
#include <famfsctl/interleave.h> /* interleave sets */
#include <famfsctl/famfs.h>      /* famfs over many members */
#include <famfsctl/map.h>        /* direct maps of famfs files */
#include <famfsctl/json.h>       /* JSON renderings */
#include <famfsctl/state.h>      /* where a policy stands: up, down, udev */
#include <famfsctl/stats.h>      /* statistics of sets and fabric devices */

#endif /* LIBFAMFSCTL_H */
