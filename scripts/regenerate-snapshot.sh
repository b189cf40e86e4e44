#!/usr/bin/env bash
# Rewrites the derived classification snapshot (Sources/RuleData/Resources/derived/) from the
# bundled YAML and CSV, which stay the source of truth: run it after editing any layer, regime,
# units.yaml or chip file. Until then the tool notices (the snapshot's digest no longer matches) and
# reads the YAML, and RuleDataTests/SnapshotTests fails with this script's name.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Sources/RuleData/Resources/derived
swift build --product ai-diffusion >/dev/null
.build/debug/ai-diffusion rules snapshot > Sources/RuleData/Resources/derived/classification.snapshot.new
mv Sources/RuleData/Resources/derived/classification.snapshot.new Sources/RuleData/Resources/derived/classification.snapshot
echo "wrote Sources/RuleData/Resources/derived/classification.snapshot" >&2
