#!/usr/bin/env bash
# Writes the golden outputs listed in Tests/Fixtures/golden/manifest.txt with a given build of
# ai-diffusion. Run ONCE, with the implementation the goldens pin (see the manifest's header);
# CLITests/GoldenOutputTests compares every later build against them. Do not regenerate goldens to
# make a failing comparison pass: a difference is a change of output that must be explained.
#
#   scripts/golden-screening.sh .build-release/release/ai-diffusion Tests/Fixtures/golden
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); OUT=$2
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export AI_DIFFUSION_NOW=2026-12-01T12:00:00Z
export AI_DIFFUSION_LEDGER="$WORK/no-ledger.sqlite"
SYN="$WORK/synthetic-100k.csv"
"$BIN" bench screen --rows 100000 --seed 42 --passes 1 --cold-runs 1 --write-csv "$SYN" >/dev/null
echo "$(sha256sum "$SYN" | cut -d' ' -f1)" > "$OUT/synthetic-100k.csv.sha256"

normalize() { sed -e "s#$WORK/[^ ]*ledger[0-9]*\.sqlite#LEDGER#g"; }

# Writes NAME (stdout) and NAME.err (stderr, if any); a synthetic output becomes NAME.sha256.
save() {
    local name=$1 out=$2 err=$3
    if [[ $name == synthetic.* ]]; then
        (cd "$WORK" && rm -f chunk.* && split -l 1000 -a 4 -d "$out" chunk. && for c in chunk.*; do sha256sum "$c" | cut -d' ' -f1; done) > "$OUT/$name.sha256"
    else
        cp "$out" "$OUT/$name"
    fi
    if [ -s "$err" ]; then normalize < "$err" > "$OUT/$name.err"; else rm -f "$OUT/$name.err"; fi
}

n=0
while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    name=$(echo "$line" | awk -F' \\| ' '{print $1}')
    setup=$(echo "$line" | awk -F' \\| ' '{print $2}')
    args=$(echo "$line" | awk -F' \\| ' '{print $3}')
    args=${args//\{synthetic\}/$SYN}
    n=$((n + 1))
    ledger="$WORK/ledger$n.sqlite"
    case $setup in
        -) "$BIN" $args > "$WORK/out" 2> "$WORK/err"; save "$name" "$WORK/out" "$WORK/err" ;;
        fleet:*) "$BIN" ledger seed-fleet "${setup#fleet:}" --ledger "$ledger" >/dev/null 2>&1
                 "$BIN" $args --ledger "$ledger" > "$WORK/out" 2> "$WORK/err"; save "$name" "$WORK/out" "$WORK/err" ;;
        commit-twice) for k in 1 2; do
                 "$BIN" $args --ledger "$ledger" > "$WORK/out" 2> "$WORK/err"; save "$name.$k" "$WORK/out" "$WORK/err"; done ;;
        *) echo "unknown setup $setup" >&2; exit 1 ;;
    esac
done < Tests/Fixtures/golden/manifest.txt
echo "wrote $n goldens to $OUT" >&2
