#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Generate ./configure from configure.ac (needs autoconf, automake, libtool).
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
