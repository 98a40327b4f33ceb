#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Registered only when configure found no cmocka or umockdev: fail, naming
# what to install, instead of running part of the suite.
echo "make check needs cmocka and umockdev: apt-get install libcmocka-dev umockdev libumockdev-dev, then configure again" >&2
exit 1
