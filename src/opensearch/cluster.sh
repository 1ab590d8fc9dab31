#!/usr/bin/env bash
# src/opensearch/cluster.sh start N | stop | url
#
# Starts (or stops) a local OpenSearch 3.9.0 cluster of N nodes on 127.0.0.1 with the contextlens
# plugin, for trying the plugin and for its end-to-end test. Each node is OpenSearch's own main class
# (org.opensearch.bootstrap.OpenSearch) on the official jars from Maven Central: the server and its
# dependencies in lib/, the transport-netty4 module (HTTP and transport) in modules/, and the plugin
# zip that the build makes unpacked into plugins/contextlens.
#
# What the official distribution has and this cluster has not, because the registries here do not
# serve it: the opensearch-plugin tool (distribution/tools/plugin-cli; the zip is unpacked as it
# would unpack it; PluginZipIT makes its jar-hell checks), the Java agent (opensearch-agent; its
# bootstrap classes are in lib/, so the node runs without the agent's sandbox), the bin/ scripts and
# jvm.options (the JVM flags are below), and every module but transport-netty4.
#
# Needs: ./build -o package -pl opensearch-plugin -am -DskipTests (the zip and the class path files
# under opensearch-plugin/target). As root, nodes run as the user of src/opensearch/unprivileged
# (run src/opensearch/prepare-unprivileged.sh once).
#
# Settings (environment): CONTEXTLENS_OPENSEARCH_CLUSTER (directory, default
# /tmp/contextlens-opensearch-cluster), CONTEXTLENS_OPENSEARCH_HTTP_PORT (first node's HTTP port,
# default 9271; node i uses port + i - 1; transport ports start at HTTP port + 100),
# CONTEXTLENS_OPENSEARCH_HEAP (per node, default 4g: a node holds the model it encodes and queries with,
# about 230 MB of heap for all-minilm-l6-v2, beside the combined lexicons of the indexes it answers, and
# an ingest node holds every occurrence vector of the documents in flight; with 2g, OpenSearch's parent
# circuit breaker, which counts garbage not yet collected, refused requests after 300 SciFact abstracts).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=$repo/opensearch-plugin/target
dir=${CONTEXTLENS_OPENSEARCH_CLUSTER:-/tmp/contextlens-opensearch-cluster}
http_port=${CONTEXTLENS_OPENSEARCH_HTTP_PORT:-9271}
transport_port=$((http_port + 100))
heap=${CONTEXTLENS_OPENSEARCH_HEAP:-4g}
java=$here/unprivileged/bin/java

usage() {
  echo "usage: $0 start N | stop | url" >&2
  exit 2
}

url() {
  echo "http://127.0.0.1:$http_port"
}

# lib/, modules/transport-netty4/ and plugins/contextlens/ of the nodes' shared home
assemble() {
  local zip
  zip=$(ls "$target"/contextlens-opensearch-*.zip 2>/dev/null | head -1 || true)
  for f in "$zip" "$target/opensearch-classpath.txt" "$target/test-classpath.txt"; do
    if [ -z "$f" ] || [ ! -f "$f" ]; then
      echo "cluster.sh: ${f:-the plugin zip} is missing: run ./build -o package -pl opensearch-plugin -am -DskipTests first" >&2
      exit 3
    fi
  done
  rm -rf "$dir/home"
  mkdir -p "$dir/home/lib" "$dir/home/modules/transport-netty4" "$dir/home/plugins/contextlens"
  tr ':' '\n' <"$target/opensearch-classpath.txt" | while read -r jar; do cp "$jar" "$dir/home/lib/"; done
  # beyond the server's own dependencies, a node's lib/ holds log4j's implementation, the plugin
  # class loader and the agent's bootstrap classes
  tr ':' '\n' <"$target/test-classpath.txt" \
    | grep -E '/(log4j-core|opensearch-plugin-classloader|opensearch-agent-bootstrap)-[0-9][^/]*\.jar$' \
    | while read -r jar; do cp "$jar" "$dir/home/lib/"; done
  tr ':' '\n' <"$target/test-classpath.txt" \
    | grep -E '/(transport-netty4-client|opensearch-netty4)-[0-9][^/]*\.jar$|/io/netty/netty-' \
    | grep -vE 'pkitesting|(osx|windows|aarch_64)\.jar$' \
    | while read -r jar; do cp "$jar" "$dir/home/modules/transport-netty4/"; done
  local version
  version=$(basename "$(ls "$dir"/home/lib/opensearch-3*.jar | head -1)" .jar)
  version=${version#opensearch-}
  cat >"$dir/home/modules/transport-netty4/plugin-descriptor.properties" <<EOF
description=Netty 4 based transport implementation (the module of the official distribution)
version=$version
name=transport-netty4
classname=org.opensearch.transport.Netty4ModulePlugin
java.version=21
opensearch.version=$version
EOF
  (cd "$dir/home/plugins/contextlens" && unzip -q "$zip")
}

node_config() {
  local i=$1 n=$2 conf=$dir/node-$1/config
  mkdir -p "$conf" "$dir/node-$i/data" "$dir/node-$i/logs" "$dir/node-$i/tmp"
  local seeds="" managers=""
  for j in $(seq 1 "$n"); do
    seeds+="${seeds:+, }\"127.0.0.1:$((transport_port + j - 1))\""
    managers+="${managers:+, }\"node-$j\""
  done
  cat >"$conf/opensearch.yml" <<EOF
cluster.name: contextlens-local
node.name: node-$i
path.data: $dir/node-$i/data
path.logs: $dir/node-$i/logs
network.host: 127.0.0.1
http.port: $((http_port + i - 1))
transport.port: $((transport_port + i - 1))
discovery.seed_hosts: [$seeds]
cluster.initial_cluster_manager_nodes: [$managers]
EOF
  cat >"$conf/log4j2.properties" <<'EOF'
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}${sys:opensearch.logs.cluster_name}.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
EOF
  touch "$conf/jvm.options"
}

start() {
  local n=$1
  [[ $n =~ ^[1-9][0-9]*$ ]] || usage
  if [ -f "$dir/nodes" ]; then
    echo "cluster.sh: a cluster is already running from $dir (stop it first: $0 stop)" >&2
    exit 1
  fi
  command -v curl >/dev/null || { echo "cluster.sh: curl is missing: install it (apt-get install curl)" >&2; exit 1; }
  mkdir -p "$dir"
  assemble
  for i in $(seq 1 "$n"); do
    node_config "$i" "$n"
  done
  # the nodes' user reads the home and writes its node directories
  chmod -R a+rwX "$dir"
  for i in $(seq 1 "$n"); do
    local home=$dir/home node=$dir/node-$i
    # G1 with the distribution's jvm.options settings: OpenSearch's parent circuit breaker counts the
    # heap in use, garbage included, and these collect early enough for it
    DJL_CACHE_DIR=$node/tmp/djl nohup "$java" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:G1ReservePercent=25 \
      -XX:InitiatingHeapOccupancyPercent=30 --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$node/tmp" -Dlog4j2.disable.jmx=true \
      -Dopensearch.path.home="$home" -Dopensearch.path.conf="$node/config" -Dopensearch.distribution.type=tar \
      -Dopensearch.bundled_jdk=false -cp "$home/lib/*" org.opensearch.bootstrap.OpenSearch \
      >"$node/stdout.log" 2>&1 &
    echo $! >"$node/pid"
    echo "$i" >>"$dir/nodes"
  done
  # up when the first node answers and the cluster has all its nodes
  local deadline=$((SECONDS + ${CONTEXTLENS_OPENSEARCH_START_TIMEOUT:-300}))
  until curl -sf "$(url)/_cluster/health?wait_for_nodes=$n&timeout=5s" 2>/dev/null | grep -q "\"number_of_nodes\":$n,"; do
    for i in $(seq 1 "$n"); do
      if ! kill -0 "$(cat "$dir/node-$i/pid")" 2>/dev/null; then
        echo "cluster.sh: node-$i stopped while starting; its log: $dir/node-$i/logs, $dir/node-$i/stdout.log" >&2
        tail -20 "$dir/node-$i/stdout.log" >&2 || true
        stop >/dev/null
        exit 1
      fi
    done
    if [ $SECONDS -ge $deadline ]; then
      echo "cluster.sh: the cluster did not form in time; logs under $dir/node-*/logs" >&2
      stop >/dev/null
      exit 1
    fi
    sleep 2
  done
  url
}

stop() {
  [ -f "$dir/nodes" ] || { echo "cluster.sh: no cluster running from $dir"; return 0; }
  local pids=()
  while read -r i; do
    [ -f "$dir/node-$i/pid" ] && pids+=("$(cat "$dir/node-$i/pid")")
  done <"$dir/nodes"
  for pid in "${pids[@]}"; do
    # the wrapper execs java, so the recorded pid is the node's own
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$dir/nodes" "$dir"/node-*/pid
  echo "cluster.sh: stopped"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || usage; start "$2" ;;
  stop) stop ;;
  url) url ;;
  *) usage ;;
esac
