#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A fabric-manager script for the exec plugin (famfsctl-exec(7)): it answers
# each request by handing it to the simulated fabric in $FABRIC_SIM_DIR with
# `famfsctl fabric call`. The conformance suite runs through it, so every
# request and reply crosses the JSON protocol both ways.
exec "${FAMFSCTL:?}" --fabric "sim:${FABRIC_SIM_DIR:?}" fabric call
