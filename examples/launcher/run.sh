#!/usr/bin/env bash
# Builds and runs the example launcher as a user would: Conduit installed into a local Maven repository
# of its own (under target/, so ~/.m2 is only read), the launcher built against it, a small store made
# with the conduit CLI from tar shards of generated samples, then a few epochs of the Loader.
#   examples/launcher/run.sh [EPOCHS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
JAVA_HOME=$("$root/bin/java-home")
export JAVA_HOME
epochs=${1:-3}
repo="$root/target/example-repo"
# Maven reads what it already has from the usual local repository and writes only into $repo.
repos=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="${MAVEN_REPO_TAIL:-$HOME/.m2/repository}")

echo "== installing Conduit (gds-path and what it needs) into $repo"
"$root/mvnw" -B -ntp -f "$root/pom.xml" install -DskipTests -pl gds-path -am "${repos[@]}" >"$root/target/example-install.log" 2>&1 \
  || { tail -n 40 "$root/target/example-install.log"; exit 1; }

echo "== building the launcher against dev.conduit:gds-path"
"$root/mvnw" -B -ntp -f "$here/pom.xml" package "${repos[@]}" >"$here/target-build.log" 2>&1 \
  || { tail -n 40 "$here/target-build.log"; exit 1; }
rm -f "$here/target-build.log"

# The store lives under target/: O_DIRECT needs a real file system (/tmp may be tmpfs).
mkdir -p "$root/target"
work=$(mktemp -d "$root/target/launcher.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "== a small store: 4 tar shards of 25 samples"
"$root/bin/conduit" --data "$work/data" format --size 64m >/dev/null
for s in 0 1 2 3; do
  mkdir "$work/shard-$s"
  names=()
  for i in $(seq 0 24); do
    name=$(printf '%06d.bin' $((s * 25 + i)))
    head -c $((16384 + i * 512)) /dev/urandom >"$work/shard-$s/$name"
    names+=("$name")
  done
  tar --format=gnu -cf "$work/shard-$s.tar" -C "$work/shard-$s" "${names[@]}"
  "$root/bin/conduit" --data "$work/data" put "train/shard-$s.tar" "$work/shard-$s.tar" >/dev/null
done

echo "== the launcher, $epochs epochs"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$here/target/launcher.jar:$here/target/lib/*" \
  com.example.launcher.TrainLauncher "$work/data" train/ "$epochs" 16
