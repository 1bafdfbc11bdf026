#!/bin/sh
# Builds the seed corpora (git-ignored) from the conformance corpus and the golden files.
# Usage: sh seed_corpus.sh   (from fuzz/; needs python3 and ../../shared/conformance or $ASL_CONFORMANCE)
set -eu
cases="${ASL_CONFORMANCE:-../../shared/conformance}/cases"
mkdir -p corpus/parse_validate corpus/interp
python3 - "$cases" <<'PY'
import glob, json, os, sys, hashlib
cases = sys.argv[1]
def put(d, text):
    name = hashlib.sha1(text.encode()).hexdigest()[:16]
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
n = 0
for path in sorted(glob.glob(os.path.join(cases, "*.json"))):
    case = json.load(open(path))
    d = case.get("definition")
    if d is None:
        continue
    # parse_validate: the definition as compact JSON, and every tenth one as YAML-ish indented JSON.
    put("corpus/parse_validate", json.dumps(d, separators=(",", ":")))
    if n % 10 == 0:
        put("corpus/parse_validate", json.dumps(d, indent=2))
    # interp: the case without its expectations.
    small = {k: case[k] for k in ("definition", "input", "mocks", "context") if k in case}
    put("corpus/interp", json.dumps(small, separators=(",", ":")))
    n += 1
print(f"{n} conformance cases seeded")
PY
# Golden definitions of asl-core (JSON and YAML).
for f in $(find ../crates/asl-core/test_data -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | head -500); do
  cp "$f" "corpus/parse_validate/golden_$(echo "$f" | tr '/.' '__')"
done
# A few structured-mode seeds for interp (first byte < 0x20 selects the mode).
i=0
while [ $i -lt 16 ]; do
  head -c 256 /dev/urandom > "corpus/interp/structured_$i.bin"
  printf '\001' | cat - "corpus/interp/structured_$i.bin" > "corpus/interp/structured_$i" && rm "corpus/interp/structured_$i.bin"
  i=$((i + 1))
done
ls corpus/parse_validate | wc -l
ls corpus/interp | wc -l
