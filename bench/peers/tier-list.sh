#!/usr/bin/env bash
# The latency of one LIST page of a read-through bucket (the local page merged with one cold LIST, docs/TIERING.md
# "Listing a read-through bucket") against the same page listed straight from the cold server (S3Proxy, filesystem
# backend) and against a plain bucket of the same server, on loopback:
#
#   bench/peers/tier-list.sh [--cold N] [--local N] [--max-keys N] [--rounds N] [--dir DIR] [--keep]
#
# The cold server holds N cold keys (default 2000) under s3://cold/; the read-through bucket `tiered` holds --local keys
# (default 1000) of its own, half of them also cold (the local entry wins), the plain bucket `plain` holds every key
# the merged listing shows. Each round lists all three from the start to the end in pages of --max-keys (default
# 1000), one boto3 client per endpoint (its own XML parsing included, the same for all three), after an unmeasured
# round; it prints each page kind's median and p90 latency over all rounds and the whole listing's median.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cold_keys=2000 local_keys=1000 max_keys=1000 rounds=20 base_dir="${TMPDIR:-/tmp}" keep=0
die() { echo "tier-list: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --cold) cold_keys="$2"; shift ;;
    --local) local_keys="$2"; shift ;;
    --max-keys) max_keys="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --dir) base_dir="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
for n in "$cold_keys" "$local_keys" "$max_keys" "$rounds"; do
  [[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || die "counts must be positive numbers: $n"
done
python3 -c 'import boto3' 2>/dev/null || die "boto3 is not installed (pip install boto3)"
JAVA_HOME=$("$root/bin/java-home") || die "no JDK >= 25 (bin/java-home)"
export JAVA_HOME
"$root/bin/conduit" --version >/dev/null || die "bin/conduit does not build or run"
s3proxy_jar="$root/object-tier/target/peers/s3proxy.jar"
[ -f "$s3proxy_jar" ] || die "$s3proxy_jar is missing (./mvnw -pl object-tier -am verify -DskipTests copies it)"

tool="tier-list"
work=$(mktemp -d "$base_dir/tier-list.XXXXXX")
children=()
# shellcheck source=peers-lib.sh
. "$root/bench/peers/peers-lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID="tier-list"
export AWS_SECRET_ACCESS_KEY="secret-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export AWS_REGION="us-east-1"
export AWS_EC2_METADATA_DISABLED=true

mkdir -p "$work/s3proxy/data" "$work/conduit"
cold_port=$(free_port)
cat > "$work/s3proxy/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$cold_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3proxy/data
EOF
"$JAVA_HOME/bin/java" -jar "$s3proxy_jar" --properties "$work/s3proxy/s3proxy.properties" > "$work/s3proxy/log" 2>&1 &
children+=($!)
wait_http S3Proxy "http://127.0.0.1:$cold_port/" "$!" "$work/s3proxy/log"
cold="http://127.0.0.1:$cold_port"

conduit=("$root/bin/conduit" --data "$work/conduit/data")
"${conduit[@]}" format --size 2g > /dev/null
"${conduit[@]}" tier attach tiered s3://cold --endpoint "$cold" --policy read-through > /dev/null
conduit_port=$(free_port)
"${conduit[@]}" serve --port "$conduit_port" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" \
  > "$work/conduit/serve.log" 2>&1 &
children+=($!)
wait_http "conduit serve" "http://127.0.0.1:$conduit_port/" "$!" "$work/conduit/serve.log"

python3 - "$cold" "http://127.0.0.1:$conduit_port" "$cold_keys" "$local_keys" "$max_keys" "$rounds" <<'EOF'
import statistics, sys, time
from concurrent.futures import ThreadPoolExecutor
import boto3
from botocore.config import Config

cold_url, conduit_url, cold_keys, local_keys, max_keys, rounds = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, request_checksum_calculation="when_required",
                response_checksum_validation="when_required")
cold = boto3.client("s3", endpoint_url=cold_url, config=config)
conduit = boto3.client("s3", endpoint_url=conduit_url, config=config)

cold.create_bucket(Bucket="cold")
conduit.create_bucket(Bucket="plain")
cold_names = [f"k-{i:06d}" for i in range(0, 2 * cold_keys, 2)]
# Half the local keys are also cold (even numbers), half are local only (odd numbers).
local_names = [f"k-{i:06d}" for i in range(0, local_keys)]
with ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda k: cold.put_object(Bucket="cold", Key=k, Body=b"c" * 100), cold_names))
    list(pool.map(lambda k: conduit.put_object(Bucket="tiered", Key=k, Body=b"l" * 200), local_names))
    list(pool.map(lambda k: conduit.put_object(Bucket="plain", Key=k, Body=b"p" * 100), sorted(set(cold_names) | set(local_names))))

def listing(client, bucket):
    """Lists the bucket to its end; returns each page's seconds and the keys."""
    pages, keys, token = [], 0, None
    while True:
        args = {"Bucket": bucket, "MaxKeys": max_keys}
        if token:
            args["ContinuationToken"] = token
        start = time.perf_counter()
        page = client.list_objects_v2(**args)
        pages.append(time.perf_counter() - start)
        keys += page.get("KeyCount", 0)
        if not page.get("IsTruncated"):
            return pages, keys
        token = page["NextContinuationToken"]

kinds = {"cold server direct (s3://cold)": (cold, "cold"), "Conduit, read-through bucket (merged)": (conduit, "tiered"),
         "Conduit, plain bucket (local only)": (conduit, "plain")}
pages = {name: [] for name in kinds}
totals = {name: [] for name in kinds}
counts = {}
for r in range(rounds + 1):
    for name, (client, bucket) in kinds.items():
        page_s, keys = listing(client, bucket)
        counts[name] = (keys, len(page_s))
        if r > 0:  # round 0 warms up both servers
            pages[name] += page_s
            totals[name].append(sum(page_s))
print(f"max-keys {max_keys}, {rounds} rounds after one unmeasured")
for name in kinds:
    p = sorted(pages[name])
    print(f"{name}: {counts[name][0]} keys in {counts[name][1]} pages; page median {1000 * statistics.median(p):.1f} ms, "
          f"p90 {1000 * p[int(0.9 * (len(p) - 1))]:.1f} ms; whole listing median {1000 * statistics.median(totals[name]):.1f} ms")
EOF
