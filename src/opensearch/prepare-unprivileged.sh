#!/usr/bin/env bash
# Prepares a machine where builds run as root for OpenSearch, which refuses to run as root: creates
# the system user that src/opensearch/unprivileged/bin/java runs OpenSearch's JVMs as, and lets it read
# the Maven repository (the class path of the test JVMs and of local nodes).
#
# What it changes, and nothing else:
#   - installs the Debian package acl (setfacl) if it is missing;
#   - adds the system user and group $CONTEXTLENS_OPENSEARCH_USER (default: contextlens): no home,
#     no login shell;
#   - ACL entries for that user alone: traverse (x, not read) each directory on the way to the
#     repository that it could not traverse before (e.g. /root); read the repository, now and (a
#     default ACL) whatever Maven writes there later, whatever its umask. Modes, owners and every
#     other user's access stay as they were.
# Usage: prepare-unprivileged.sh [maven-repository]   (default: ~/.m2/repository)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "prepare-unprivileged.sh: not root, nothing to do"; exit 0; }
user=${CONTEXTLENS_OPENSEARCH_USER:-contextlens}
repo=${1:-$HOME/.m2/repository}
if ! command -v setfacl >/dev/null 2>&1; then
  apt-get install -y -q acl >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q acl >/dev/null; }
fi
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  echo "prepare-unprivileged.sh: added system user $user"
fi
mkdir -p "$repo"
dir=$(dirname "$repo")
while [ "$dir" != / ]; do
  if ! setpriv --reuid="$user" --regid="$user" --init-groups test -x "$dir"; then
    setfacl -m "u:$user:x" "$dir"
  fi
  dir=$(dirname "$dir")
done
setfacl -R -m "u:$user:rX" "$repo"
setfacl -R -d -m "u:$user:rX" "$repo"
echo "prepare-unprivileged.sh: $user reads $repo"
