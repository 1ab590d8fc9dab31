#!/usr/bin/env bash
# Re-runs every figure of docs/results.md "Retrieval (SciFact test)" and renders the table found there.
#
#   src/results/retrieval.sh [OUT_DIR]
#
# OUT_DIR (default target/results/retrieval) receives the two indexes (reused when present; an
# interrupted indexing resumes), one JSON file and one TREC run file per command, and retrieval.md with
# the table. SciFact is read from $CONTEXTLENS_DATA/ir/scifact (default ../shared/data beside the
# checkout); $CONTEXTLENS_CMD replaces ./contextlens if set. Indexing SciFact's 5,183 abstracts takes about 20 min with all-minilm-l6-v2-q and about
# 60 min with bge-small-en-v1.5 on 2 loaded CPU cores; the queries then take seconds to minutes.
#
# The query instruction of bge-small-en-v1.5 (--query-prefix) was chosen on the train split (the
# "train" rows); the test split is only reported.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${CONTEXTLENS_DATA:-$root/../shared/data}/ir/scifact
out=${1:-$root/target/results/retrieval}
cl=${CONTEXTLENS_CMD:-$root/contextlens}  # or another launcher, e.g. of a frozen copy of the jar
mkdir -p "$out"
command -v jq >/dev/null || { echo "retrieval.sh: jq is needed to render the table" >&2; exit 1; }

bge_prefix='Represent this sentence for searching relevant passages: '
rows=()

eval_retrieval() { # NAME SPLIT INDEX MODEL MODE [extra options...]: prints the command, runs it
  local name=$1 split=$2 index=$3 model=$4 mode=$5
  shift 5
  local args=(eval retrieval --data "$data" --split "$split" --index "$out/$index" --model "$model" --mode "$mode"
    --run "$out/run-$name.trec" --json "$@")
  echo "+ contextlens $(printf '%q ' "${args[@]}")" >&2
  "$cl" "${args[@]}" > "$out/$name.json" 2> "$out/$name.log"
  rows+=("$name")
}

# BM25 needs no vectors; the int8 MiniLM index is the quickest to build
eval_retrieval bm25-test test idx-all-minilm-l6-v2-q all-minilm-l6-v2-q bm25
eval_retrieval minilm-q-dense-test test idx-all-minilm-l6-v2-q all-minilm-l6-v2-q dense
eval_retrieval minilm-q-hybrid-test test idx-all-minilm-l6-v2-q all-minilm-l6-v2-q hybrid
eval_retrieval minilm-q-maxsim-test test idx-all-minilm-l6-v2-q all-minilm-l6-v2-q maxsim

# bge-small-en-v1.5: the query instruction, with and without, on train (where it is chosen) and test
for split in train test; do
  eval_retrieval "bge-dense-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 dense
  eval_retrieval "bge-dense-prefix-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 dense --query-prefix "$bge_prefix"
  eval_retrieval "bge-hybrid-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 hybrid
  eval_retrieval "bge-hybrid-prefix-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 hybrid --query-prefix "$bge_prefix"
  eval_retrieval "bge-maxsim-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 maxsim
  eval_retrieval "bge-maxsim-prefix-$split" "$split" idx-bge-small-en-v1.5 bge-small-en-v1.5 maxsim --query-prefix "$bge_prefix"
done
eval_retrieval bge-bm25-test test idx-bge-small-en-v1.5 bge-small-en-v1.5 bm25

# ---- table
{
  echo "| run | split | mode | model | queries | nDCG@10 | MRR@10 | Recall@100 | MAP |"
  echo "|---|---|---|---|---:|---:|---:|---:|---:|"
  for name in "${rows[@]}"; do
    # 4 decimals as trec_eval prints them (C printf on the same double)
    jq -r --arg name "$name" '[$name, ($name | split("-") | last), .mode, .model, .queries,
        .["ndcg@10"], .["mrr@10"], .["recall@100"], .map] | @tsv' "$out/$name.json" |
      awk -F'\t' '{ printf "| %s | %s | %s | %s | %d | %.4f | %.4f | %.4f | %.4f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
  done
} > "$out/retrieval.md"
cat "$out/retrieval.md"

# ---- trec_eval's own figures on every run file: $TREC_EVAL, or the binary jtreceval bundles (Linux x86-64)
te=${TREC_EVAL:-}
jar=$HOME/.m2/repository/uk/ac/gla/dcs/terrierteam/jtreceval/0.0.5/jtreceval-0.0.5.jar
if [ -z "$te" ] && [ -f "$jar" ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
  unzip -o -q "$jar" trec_eval-linux-amd64 -d "$out" && chmod +x "$out/trec_eval-linux-amd64" && te=$out/trec_eval-linux-amd64
fi
if [ -z "$te" ]; then
  echo "retrieval.sh: no trec_eval (set TREC_EVAL or build once so Maven fetches jtreceval); runs not cross-checked" >&2
  exit 0
fi
agree=0
for name in "${rows[@]}"; do
  split=${name##*-}
  [ -f "$out/$split.qrels" ] || tail -n +2 "$data/qrels/$split.tsv" | tr -d '\r' | awk '{print $1, 0, $2, $3}' > "$out/$split.qrels"
  theirs=$({ "$te" -m num_q -m ndcg_cut.10 -m recip_rank -m recall.100 -m map "$out/$split.qrels" "$out/run-$name.trec" |
      grep -v recip_rank; "$te" -M 10 -m recip_rank "$out/$split.qrels" "$out/run-$name.trec"; } |
    awk '{print $1 "=" $3}' | sort | tr '\n' ' ')
  ours=$(jq -r '[.queries, .["ndcg@10"], .["mrr@10"], .["recall@100"], .map] | @tsv' "$out/$name.json" |
    awk -F'\t' '{ printf "map=%.4f\nndcg_cut_10=%.4f\nnum_q=%d\nrecall_100=%.4f\nrecip_rank=%.4f\n", $5, $2, $1, $4, $3 }' |
    sort | tr '\n' ' ')
  if [ "$theirs" = "$ours" ]; then
    agree=$((agree + 1))
  else
    echo "retrieval.sh: $name differs from trec_eval: trec_eval $theirs / contextlens $ours" >&2
  fi
done
echo "trec_eval ($te) gives the same figures on $agree of ${#rows[@]} run files"
[ "$agree" = "${#rows[@]}" ]
