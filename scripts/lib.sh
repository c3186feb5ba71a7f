# Sourced (not run) by every script in scripts/ and by .ci/run: the build and run facts they share.
#
#   root                 the repository root (every path below is relative to it)
#   jvm_opts             array: the JVM options every cellar JVM needs, read from $root/jvm.options
#   jupyter_apt          array: Debian's packages for Jupyter (no pip); bench_apt: joblib/numpy for scripts/bench;
#                        shared_apt: PostgreSQL for the shared tier's tests; browser_apt: Jupyter Notebook, Chromium
#                        and its driver for the notebook browser test, fonts for charts; conformance_apt: the
#                        Jupyter project's kernel conformance suite
#   cellar_mvn ARGS      Maven, quiet and offline first (the dependencies are usually in ~/.m2)
#   cellar_jar           prints the self-contained jar, building it only when missing or older than the sources
#   cellar_test_classes  compiles main and test classes (for the benchmark mains)
#   cellar_classpath     prints the file holding the test-scope dependency class path, rebuilt when pom.xml changes
#   ensure_jupyter       installs jupyter_apt when root and Jupyter is missing; otherwise says what to run
# shellcheck shell=bash

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# One option per line in jvm.options, so that bash, Java's @argument files and JvmOptions read it alike.
jvm_opts=()
while IFS= read -r _line || [ -n "$_line" ]; do
  _line="${_line%%#*}"
  _line="$(printf '%s' "$_line" | tr -d '[:space:]')"
  [ -z "$_line" ] || jvm_opts+=("$_line")
done <"$root/jvm.options"
unset _line

jupyter_apt=(jupyter-nbconvert python3-nbclient jupyter-client jupyter-console)
bench_apt=(python3-joblib python3-numpy)
shared_apt=(postgresql)
browser_apt=(jupyter-notebook chromium chromium-driver fontconfig fonts-dejavu-core)
conformance_apt=(python3-jupyter-kernel-test)
jupyter=/usr/bin/jupyter

cellar_mvn() {
  local log status=0
  log="$(mktemp)"
  (cd "$root" && mvn -q -B -o "$@") >"$log" 2>&1 || status=$?
  # Online only when offline lacked something; a compile error is shown as it is, not retried.
  if [ "$status" != 0 ] && grep -q "offline" "$log"; then
    status=0
    (cd "$root" && mvn -q -B -ntp "$@") || status=$?
  elif [ "$status" != 0 ]; then
    cat "$log"
  fi
  rm -f "$log"
  return "$status"
}

cellar_jar() {
  local jar
  jar=$(ls -t "$root"/target/cellar-*-all.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "building cellar (mvn package)..." >&2
    cellar_mvn -Dstyle.color=never -DskipTests package >&2 || { echo "cellar: build failed" >&2; return 1; }
    jar=$(ls -t "$root"/target/cellar-*-all.jar | head -1)
  fi
  echo "$jar"
}

cellar_test_classes() {
  cellar_mvn -DskipTests test-compile
}

cellar_classpath() {
  local cpfile="$root/target/classpath.txt"
  if [ ! -s "$cpfile" ] || [ "$root/pom.xml" -nt "$cpfile" ]; then
    cellar_mvn dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
  fi
  echo "$cpfile"
}

ensure_jupyter() {
  [ -x "$jupyter" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Jupyter is not installed; installing Debian's packages..." >&2
    apt-get update -q >/dev/null && apt-get install -y --no-install-recommends "${jupyter_apt[@]}" >/dev/null
  else
    echo "Jupyter is not installed. Install Debian's packages with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${jupyter_apt[*]}" >&2
    return 1
  fi
}
