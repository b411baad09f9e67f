#!/usr/bin/env bash
# CI: the package installs and runs without a clone. Packs the tarball (prepare builds dist/),
# checks it holds dist/ and the licence, installs it into an empty folder from npm (the cache first:
# npm ci has just filled it), then runs the installed command.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tgz=$(npm pack --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tgz" > "$work/contents"
for f in package/dist/cli.js package/bin/pace-audit.js package/LICENSE package/README.md; do
  grep -qx "$f" "$work/contents" || { echo "check-package: $f is not in $tgz" >&2; exit 1; }
done
if grep -q '^package/\(src\|test\|fixtures\|scripts\)/' "$work/contents"; then echo "check-package: $tgz holds sources or tests" >&2; exit 1; fi
mkdir "$work/app"
cd "$work/app"
npm init -y > /dev/null
npm install --prefer-offline --no-audit --no-fund "$work/$tgz" > /dev/null
want=$(node -p "require('$OLDPWD/package.json').version")
got=$(npx --no-install pace-audit --version)
[ "$got" = "$want" ] || { echo "check-package: installed pace-audit --version says '$got', expected '$want'" >&2; exit 1; }
npx --no-install pace-audit audit "$OLDPWD/fixtures/sample-export.csv" --as-of 2018-11-01 --format json > summary.json
node -e "const j=require('./summary.json'); if (j.summary.children < 1) process.exit(1)"
echo "check-package: $tgz installs and runs (pace-audit $got, node $(node --version))"
