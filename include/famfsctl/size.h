/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Sizes in and out: "64G", "2MiB", "0x200000"; "64 GiB", "1.50 GiB".
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_SIZE_H
#define FAMFSCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * fc_parse_size() - Parse a size in bytes.
 * @str: "64G", "512M", "2MiB", "1.5G", "4096", "0x200000", "2T"; leading
 *	blanks allowed. Every suffix (K, M, G, T, P, E, in either case, with
 *	optional "i" and "B": "K", "KiB", "KB"; "B" alone is bytes) is a binary multiple
 *	(K = 1024); a fraction must come out to whole bytes.
 * @size: receives the bytes; untouched on error.
 *
 * Return: 0; -EINVAL when @str is NULL or malformed (a sign, no digits, an
 * unknown suffix, a fraction of a byte); -ERANGE when the size does not fit
 * in 64 bits.
 */
int fc_parse_size(const char *str, uint64_t *size);
/**
 * fc_format_size() - Format a size for people.
 * @size: bytes.
 * @buf: where to write; FC_SIZE_STR_MAX bytes are always enough.
 * @len: room in @buf (the text is truncated to fit).
 *
 * In the largest binary unit not above the size: exact multiples of it
 * without decimals ("64 GiB", "2 MiB"), others with two ("1.50 GiB");
 * below 1 KiB in bytes ("512 B").
 *
 * Return: @buf.
 */
char *fc_format_size(uint64_t size, char *buf, size_t len);
#define FC_SIZE_STR_MAX 32

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_SIZE_H */
