#!/usr/bin/env bash
# Re-runs every WiC and word-similarity figure of docs/results.md ("Word in context (WiC)" and
# "Word similarity") and renders them as the markdown tables found there.
#
#   src/results/wic-wordsim.sh [OUT_DIR]
#
# OUT_DIR (default target/results/wic-wordsim) receives one JSON file per command, a log per WiC run,
# and wic-wordsim.md with the tables. The shared data is read from $CONTEXTLENS_DATA (default
# ../shared/data beside the checkout). CONTEXTLENS_RESUME=1 keeps the JSON files already in OUT_DIR
# instead of re-running their commands. CONTEXTLENS_SKIP_INDEX=1 skips the index-centroid rows (they
# index the 10,049 distinct WiC sentences at 7 layers: about 5 minutes and 1.5 GB on disk).
# Needs jq. Takes about 30 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${CONTEXTLENS_DATA:-$root/../shared/data}
out=${1:-$root/target/results/wic-wordsim}
cl="$root/contextlens"
mkdir -p "$out"
command -v jq >/dev/null || { echo "wic-wordsim.sh: jq is needed to render the tables" >&2; exit 1; }

wic_models=(all-minilm-l6-v2 bge-small-en-v1.5)
sets=(SimLex-999/SimLex-999.txt wordsim353/combined.tab MEN/MEN_dataset_natural_form_full SimVerb-3500/SimVerb-3500.txt)
glove="$data/vectors/glove.6B.100d.eval-subset.txt.gz"
sources=("$glove" model:all-minilm-l6-v2 model:all-minilm-l6-v2-q model:bge-small-en-v1.5 model:bge-small-en-v1.5-q)
layers=(0 1 2 3 4 5 6)
index="$out/idx-wic-sentences-minilm"

# produce FILE COMMAND...: runs the command (echoed to stderr) with its stdout into FILE
produce() {
  local file=$1
  shift
  if [ "${CONTEXTLENS_RESUME:-0}" = 1 ] && [ -s "$file" ]; then
    return
  fi
  echo "+ $*" >&2
  "$@" > "$file.tmp"
  mv "$file.tmp" "$file"
}
setname() { basename "$(dirname "$1")"; }

# ---- word similarity: static tables
for source in "${sources[@]}"; do
  for set in "${sets[@]}"; do
    produce "$out/wordsim-$(basename "$source")-$(setname "$set").json" \
      "$cl" eval wordsim --data "$data/wordsim/$set" --vectors "$source" --json
  done
done

# ---- word in context: every layer of each model
for model in "${wic_models[@]}"; do
  produce "$out/wic-$model.json" "$cl" eval wic --data "$data/wic" --model "$model" --layers all --json \
    2> >(grep -v '^WARNING: Using incubator' > "$out/wic-$model.log")
done

# ---- word similarity: lexeme centroids of an index of the WiC sentences (unlabelled), every layer
if [ "${CONTEXTLENS_SKIP_INDEX:-0}" != 1 ]; then
  corpus="$out/wic-sentences.txt"
  cut -f4,5 "$data"/wic/{train,dev,test}/*.data.txt | tr '\t' '\n' | LC_ALL=C sort -u > "$corpus"
  produce "$out/index.log" "$cl" index --index "$index" --input "$corpus" --format lines \
    --model all-minilm-l6-v2 --layers 0,1,2,3,4,5,6 --quiet
  for layer in "${layers[@]}"; do
    for set in "${sets[@]}"; do
      produce "$out/wordsim-centroids-L$layer-$(setname "$set").json" \
        "$cl" eval wordsim --data "$data/wordsim/$set" --index "$index" --layer "$layer" --json
    done
  done
  # the static tables on exactly the pairs the centroids cover (both words occur in the corpus)
  for set in "${sets[@]}"; do
    name=$(setname "$set")
    covered="$out/covered-$name-$(basename "$set")"
    jq -r '.missing_words[]' "$out/wordsim-centroids-L6-$name.json" > "$out/missing-$name.txt"
    format=$(jq -r '.dataset' "$out/wordsim-centroids-L6-$name.json")
    # keep the header (if any) and every line whose two words both have a centroid
    awk -v sep="$([ "$name" = MEN ] && echo ' ' || printf '\t')" '
      NR == FNR { missing[$0] = 1; next }
      { n = split($0, f, sep == " " ? " +" : "\t"); sub(/\r$/, "", f[2]) }
      !(f[1] in missing) && !(f[2] in missing)' "$out/missing-$name.txt" "$data/wordsim/$set" > "$covered"
    for source in "$glove" model:all-minilm-l6-v2; do
      produce "$out/wordsim-covered-$(basename "$source")-$name.json" \
        "$cl" eval wordsim --data "$covered" --format "$format" \
        --vectors "$source" --json
    done
  done
fi

# ---- tables
jqdefs='def fixed($d): (if . < 0 then "-" else "" end) as $sign | (if . < 0 then -. else . end) as $v
    | ($v * pow(10; $d) | round) as $n | ($n / pow(10; $d) | floor | tostring) as $int
    | ("000000" + ($n % pow(10; $d) | tostring)) as $frac
    | $sign + $int + (if $d > 0 then "." + $frac[($frac | length) - $d:] else "" end);
  def pct: . * 100 | fixed(1);'
{
  for model in "${wic_models[@]}"; do
    f="$out/wic-$model.json"
    echo "#### $model"
    echo
    echo "| vectors | threshold | train | dev | test |"
    echo "|---|---:|---:|---:|---:|"
    jq -r "$jqdefs"' .layers[] | "| layer \(.layer) | \(.threshold | fixed(4)) | \(.train_accuracy | pct) | \(.dev_accuracy | pct) | \(.test_accuracy | pct) |"' "$f"
    jq -r "$jqdefs"' "| static: lemma (model table) | \(.static.threshold | fixed(4)) | \(.static.train_accuracy | pct) | \(.static.dev_accuracy | pct) | \(.static.test_accuracy | pct) |"' "$f"
    jq -r "$jqdefs"' "| static: word form (model table) | \(.static_surface.threshold | fixed(4)) | \(.static_surface.train_accuracy | pct) | \(.static_surface.dev_accuracy | pct) | \(.static_surface.test_accuracy | pct) |"' "$f"
    jq -r '"\nbest layer by dev: \(.best_layer_by_dev); pairs: \([.splits[] | "\(.split) \(.pairs)"] | join(", ")); targets the tokenizer splits into several words (pooled): \([.splits[] | "\(.split) \(.split_targets)"] | join(", "))\n"' "$f"
  done
  echo "#### Spearman's rho (pairs covered / pairs in the set)"
  echo
  echo "| vectors | SimLex-999 | WS-353 | MEN | SimVerb-3500 |"
  echo "|---|---:|---:|---:|---:|"
  rows=()
  for source in "${sources[@]}"; do rows+=("$(basename "$source")"); done
  if [ "${CONTEXTLENS_SKIP_INDEX:-0}" != 1 ]; then
    rows+=("covered-$(basename "$glove")" covered-model:all-minilm-l6-v2)
    for layer in "${layers[@]}"; do rows+=("centroids-L$layer"); done
  fi
  for row in "${rows[@]}"; do
    line="| $row |"
    for set in "${sets[@]}"; do
      line+=$(jq -r "$jqdefs"' " \(if .spearman == null then "–" else (.spearman | fixed(4)) end) (\(.pairs)/\(.total)) |"' \
        "$out/wordsim-$row-$(setname "$set").json")
    done
    echo "$line"
  done
} > "$out/wic-wordsim.md"
echo "tables written to $out/wic-wordsim.md" >&2
