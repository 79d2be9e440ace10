#!/usr/bin/env bash
# Builds dist/onecrm_finance_qb-<version>.zip, the module archive an administrator uploads on the
# CRM's "Upgrades & Customization" page (or installs with `flask --app hostcrm modules install`).
#
# The build is deterministic: two builds of the same commit are byte-identical. Entry times come
# from SOURCE_DATE_EPOCH, else from the last commit, else 1980-01-01. The Babel catalogs are
# compiled into the archive, the manifest gets the SHA-256 of every file, the archive is checked
# with the Module Loader's own validator, and a .sha256 file is written next to it.
#
# Environment: PYTHON (default .venv/bin/python, else python3), DIST_DIR (default dist).
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
export SOURCE_DATE_EPOCH

"$PYTHON" -m hostcrm.modules.build --source . --dist "${DIST_DIR:-dist}"
