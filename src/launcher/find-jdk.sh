# Sourced by the launcher, ./build and .ci/run: finds a JDK >= 21.
# Order: $JAVA_HOME, then every JDK under $CONTEXTLENS_JVM_DIR (default /usr/lib/jvm), newest first.
# On success sets CONTEXTLENS_JAVA_HOME and CONTEXTLENS_JAVA_MAJOR; otherwise prints what to do and returns 1.

contextlens_jdk_major() {
  # prints the feature version (17, 21, 25) of the JDK at $1, or nothing
  local home=$1 version=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

contextlens_find_jdk() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(contextlens_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      CONTEXTLENS_JAVA_HOME=$JAVA_HOME
      CONTEXTLENS_JAVA_MAJOR=$major
      return 0
    fi
  fi
  for candidate in "${CONTEXTLENS_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$candidate" ] || continue
    major=$(contextlens_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    CONTEXTLENS_JAVA_HOME=$best
    CONTEXTLENS_JAVA_MAJOR=$best_major
    return 0
  fi
  {
    echo "contextlens: no JDK $min or newer found (Lucene 10 needs Java $min+)."
    echo "  looked at: JAVA_HOME=${JAVA_HOME:-<unset>} and ${CONTEXTLENS_JVM_DIR:-/usr/lib/jvm}/*"
    echo "  install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it."
  } >&2
  return 1
}

contextlens_maven_env() {
  # environment for running Maven on the JDK found: Maven 3.8's bundled Guava calls sun.misc.Unsafe,
  # which JDK 24+ warns about on every run
  export JAVA_HOME=$CONTEXTLENS_JAVA_HOME
  if [ "$CONTEXTLENS_JAVA_MAJOR" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in
      *sun-misc-unsafe-memory-access*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
}
