#!/bin/sh
# Compile and link every KVM selftest switchlab exports for the default matrix's shortest
# counterexamples (one per policy and property), against the KVM selftests of Linux 6.12.
#
#   scripts/selftest-compile.sh [matrix.json]
#
# The matrix is the argument, else artifacts/matrix.json (CI leaves it there with
# `pnpm test:matrix`), else it is computed. The reproducers are built with the selftests' own
# Makefile (tools/testing/selftests/kvm), which compiles its library and links each test against
# it. Nothing is run: running them needs an Intel host with KVM. Exit 1 when one does not build.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARBALL=/usr/src/linux-source-6.12.tar.xz
JOBS=${JOBS:-2}

if [ ! -f "$TARBALL" ]; then
	echo "selftest-compile: installing linux-source-6.12 (for $TARBALL)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.12 >/dev/null
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/switchlab-selftest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

MATRIX=${1:-}
if [ -z "$MATRIX" ]; then
	if [ -f "$ROOT/artifacts/matrix.json" ]; then
		MATRIX="$ROOT/artifacts/matrix.json"
	else
		echo "selftest-compile: no artifacts/matrix.json; computing the matrix"
		MATRIX="$TMP/matrix.json"
		(cd "$ROOT" && pnpm -s switchlab matrix --format json --quiet --out "$MATRIX")
	fi
fi

echo "selftest-compile: exporting the shortest counterexample of each policy and property from $MATRIX"
mkdir "$TMP/exported"
(cd "$ROOT" && pnpm -s switchlab export-selftest "$MATRIX" --out-dir "$TMP/exported") >"$TMP/list"
COUNT=$(wc -l <"$TMP/list")
if [ "$COUNT" -eq 0 ]; then
	echo "selftest-compile: nothing exported" >&2
	exit 1
fi

echo "selftest-compile: extracting the kernel headers and the KVM selftests"
SRC="$TMP/linux-source-6.12"
tar -xJf "$TARBALL" -C "$TMP" \
	linux-source-6.12/Makefile linux-source-6.12/scripts linux-source-6.12/include \
	linux-source-6.12/arch/x86 linux-source-6.12/tools linux-source-6.12/usr
make -s -C "$SRC" headers ARCH=x86_64 -j"$JOBS" >/dev/null

KVM="$SRC/tools/testing/selftests/kvm"
OUT="$TMP/out"
PROGS=""
for f in "$TMP"/exported/*.c; do
	name=$(basename "$f" .c)
	cp "$f" "$KVM/x86_64/$name.c"
	PROGS="$PROGS $OUT/x86_64/$name"
done

echo "selftest-compile: compiling and linking $COUNT reproducers against the KVM selftests' library"
# TEST_GEN_PROGS on the command line replaces the Makefile's list: its library and these tests only.
set +e
make -k -C "$KVM" -j"$JOBS" OUTPUT="$OUT" TEST_GEN_PROGS="$PROGS" TEST_GEN_PROGS_EXTENDED= TEST_PROGS= \
	EXTRA_CFLAGS=-Werror >"$TMP/make.log" 2>&1
STATUS=$?
set -e

FAILED=0
for p in $PROGS; do
	if [ ! -x "$p" ]; then
		echo "selftest-compile: $(basename "$p").c does not build" >&2
		FAILED=$((FAILED + 1))
	fi
done
if [ "$STATUS" -ne 0 ] || [ "$FAILED" -ne 0 ]; then
	grep -E "(error|warning):" "$TMP/make.log" | head -40 >&2
	echo "selftest-compile: $FAILED of $COUNT reproducers do not build" >&2
	exit 1
fi
echo "selftest-compile: all $COUNT reproducers compile and link"
