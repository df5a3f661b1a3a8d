#!/usr/bin/env bash
# The README's two commands as a new user meets them: a fresh clone of HEAD in a temporary folder,
# run with a PATH that has none of the system tools the project does not install itself
# (xmllint, Chromium), so that nothing a CI image or a developer's machine happens to have can
# hide a missing step. Runs `pnpm install && pnpm switchlab matrix`, then `pnpm test` (which has no
# browser test: those are their own tier), and says how long each took. Node, npm, git and pnpm 10 must
# be on PATH (the README's `npm i -g pnpm@10` step). Usage: scripts/fresh-machine.sh
set -euo pipefail
src=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/switchlab-fresh.XXXXXX")
trap 'rm -rf "$work"' EXIT

git clone -q "$src" "$work/switchlab"

# A PATH of links to every command on today's PATH but the ones a fresh machine lacks.
bin="$work/bin"
mkdir "$bin"
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    n=${f##*/}
    case "$n" in xmllint | chromium | chromium-browser | chromedriver | google-chrome*) continue ;; esac
    if [ -x "$f" ] && [ ! -e "$bin/$n" ]; then ln -s "$f" "$bin/$n"; fi
  done
done

cd "$work/switchlab"
echo "fresh-machine: $(git log -1 --format='%h %s') in $work/switchlab, PATH without xmllint and chromium"
env -u SWITCHLAB_REQUIRE_BROWSER -u SWITCHLAB_CHROMIUM PATH="$bin" bash -c '
  set -euo pipefail
  SECONDS=0
  pnpm install
  pnpm switchlab matrix > "'"$work"'/matrix.txt"
  echo "fresh-machine: the main job (pnpm install && pnpm switchlab matrix) took ${SECONDS} s"
  SECONDS=0
  pnpm test 2>&1 | tee "'"$work"'/test.log"
  echo "fresh-machine: pnpm test took ${SECONDS} s"
'
grep -q "^switchlab matrix: " "$work/matrix.txt" || { echo "fresh-machine: the matrix printed no table" >&2; exit 1; }
echo "fresh-machine: both commands passed on a PATH without xmllint and chromium"
