#!/bin/sh
# Exports asl60, asl60_compound and synth1000 from the shared generator into this folder.
# Run once from anywhere: sh crates/graph-layout/test_data/export_bench_graphs.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cp /work/shared/bench/layout/gen.py "$tmp/"
(cd "$tmp" && python3 gen.py)
cp "$tmp/asl60.json" "$tmp/asl60_compound.json" "$tmp/synth1000.json" "$here/"
rm -rf "$tmp"
