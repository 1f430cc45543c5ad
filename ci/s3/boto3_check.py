#!/usr/bin/env python3
"""boto3 against conduit serve (run by ci/s3-clients.sh).

Reads CONDUIT_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and
CONDUIT_S3_WORK (a scratch directory). Default client settings except path-style addressing.
Prints one line per check; exits 1 at the first mismatch, naming it.
"""
import hashlib
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["CONDUIT_S3_ENDPOINT"]
WORK = os.environ["CONDUIT_S3_WORK"]
BUCKET = "boto3-check"
MIB = 1 << 20


def fail(message):
    print(f"FAIL: boto3: {message}", file=sys.stderr)
    sys.exit(1)


def ok(message):
    print(f"ok   boto3: {message}")


def expect(what, expected, actual):
    if expected != actual:
        fail(f"{what}: expected {expected!r}, got {actual!r}")
    ok(f"{what} ({actual!r})" if not isinstance(actual, bytes) else what)


def client(secret=None, signature_version=None):
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=secret or os.environ["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}, signature_version=signature_version),
    )


def error_code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    fail("a request that must fail succeeded")
    return None


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MIB), b""):
            digest.update(block)
    return digest.hexdigest()


def search_check(s3):
    """Conduit's metadata search (x-conduit-where on ListObjectsV2, docs/S3.md) from boto3."""
    s3.put_object(Bucket=BUCKET, Key="ckpt/a", Body=b"a", Metadata={"loss": "0.25"}, Tagging="stage=tested")
    s3.put_object(Bucket=BUCKET, Key="ckpt/b", Body=b"b", Metadata={"loss": "0.5"}, Tagging="stage=tested")
    s3.put_object(Bucket=BUCKET, Key="ckpt/c", Body=b"c", Metadata={"loss": "0.1"}, Tagging="stage=draft")
    conditions = ["tag.stage=tested", "meta.loss<0.3"]

    def add_conditions(request, **_):
        # before-sign: the parameters are added before SigV4 signs the URL, so they are signed too.
        query = "&".join("x-conduit-where=" + urllib.parse.quote(c, safe="") for c in conditions)
        request.url += ("&" if "?" in request.url else "?") + query

    searcher = client()
    searcher.meta.events.register("before-sign.s3.ListObjectsV2", add_conditions)
    found = [o["Key"] for o in searcher.list_objects_v2(Bucket=BUCKET, Prefix="ckpt/").get("Contents", [])]
    expect("metadata search (x-conduit-where)", ["ckpt/a"], found)
    for key in ("ckpt/a", "ckpt/b", "ckpt/c"):
        s3.delete_object(Bucket=BUCKET, Key=key)


def main():
    s3 = client()
    print(f"== boto3 {boto3.__version__}")
    s3.create_bucket(Bucket=BUCKET)
    ok("create_bucket")

    body = os.urandom(100_000)
    put = s3.put_object(Bucket=BUCKET, Key="dir/object.bin", Body=body, Metadata={"origin": "ci"})
    expect("put_object ETag is the MD5", '"' + hashlib.md5(body).hexdigest() + '"', put["ETag"])
    got = s3.get_object(Bucket=BUCKET, Key="dir/object.bin")
    expect("get_object body", body, got["Body"].read())
    expect("get_object user metadata", {"origin": "ci"}, got["Metadata"])
    head = s3.head_object(Bucket=BUCKET, Key="dir/object.bin")
    expect("head_object ContentLength", len(body), head["ContentLength"])
    ranged = s3.get_object(Bucket=BUCKET, Key="dir/object.bin", Range="bytes=10-19")["Body"].read()
    expect("get_object Range bytes=10-19", body[10:20], ranged)

    for i in range(5):
        s3.put_object(Bucket=BUCKET, Key=f"list/k{i}", Body=b"x" * i)
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="list/", MaxKeys=2)
    expect("list_objects_v2 MaxKeys=2 truncates", (2, True), (listed["KeyCount"], listed["IsTruncated"]))
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="list/", PaginationConfig={"PageSize": 2})
            for o in page.get("Contents", [])]
    expect("list_objects_v2 pages", [f"list/k{i}" for i in range(5)], keys)

    source = os.path.join(WORK, "boto3-multipart.bin")
    with open(source, "wb") as f:
        f.write(os.urandom(17 * MIB))
    transfer = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_file(source, BUCKET, "multipart.bin", Config=transfer)
    etag = s3.head_object(Bucket=BUCKET, Key="multipart.bin")["ETag"]
    expect("upload_file 17 MiB in 5 MiB parts (ETag suffix)", "-4", etag.strip('"')[-2:])
    target = os.path.join(WORK, "boto3-multipart.down")
    s3.download_file(BUCKET, "multipart.bin", target, Config=transfer)
    expect("download_file sha256", sha256(source), sha256(target))
    os.remove(target)

    # boto3 presigns with SigV2 unless told otherwise; Conduit speaks SigV4 only (docs/S3.md).
    presigner = client(signature_version="s3v4")
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "dir/object.bin"}, ExpiresIn=300)
    with urllib.request.urlopen(url, timeout=30) as response:
        expect("presigned GET via urllib", body, response.read())
    try:
        urllib.request.urlopen(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), timeout=30)
        fail("a presigned URL with a damaged signature was accepted")
    except urllib.error.HTTPError as e:
        expect("presigned GET with a damaged signature", 403, e.code)

    expect("get_object of a missing key", "NoSuchKey", error_code(lambda: s3.get_object(Bucket=BUCKET, Key="missing")))
    expect("head_object of a missing key", "404", error_code(lambda: s3.head_object(Bucket=BUCKET, Key="missing")))
    expect("get_object in a missing bucket", "NoSuchBucket", error_code(lambda: s3.get_object(Bucket="no-such-bucket", Key="k")))
    expect("a request signed with the wrong secret", "SignatureDoesNotMatch",
           error_code(lambda: client("wrong" + os.environ["AWS_SECRET_ACCESS_KEY"]).list_buckets()))
    expect("delete_bucket while it holds objects", "BucketNotEmpty", error_code(lambda: s3.delete_bucket(Bucket=BUCKET)))

    search_check(s3)

    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    deleted = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys]})
    expect("delete_objects", sorted(keys), sorted(d["Key"] for d in deleted.get("Deleted", [])))
    s3.delete_bucket(Bucket=BUCKET)
    ok("delete_bucket")


if __name__ == "__main__":
    main()
