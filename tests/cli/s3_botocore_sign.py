#!/usr/bin/env python3
"""Signs a fixed set of S3 requests with botocore's S3SigV4Auth (Debian python3-botocore)
at a fixed time and prints, per request, the request (as test_io_s3_sigv4 --compare
reads it) with the URL and Authorization header botocore computed. The URL is built
here with urllib's own quoting, independently of icestream."""
import datetime
import sys
import types
from urllib.parse import quote

import botocore.auth
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

WHEN = datetime.datetime(2026, 12, 4, 1, 2, 3)
DATE = WHEN.strftime("%Y%m%dT%H%M%SZ")
# The signing time, fixed: newer botocore asks get_current_datetime(), older (Debian 12's
# 1.29) calls datetime.datetime.utcnow() inside botocore.auth.


class _FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return WHEN


botocore.auth.datetime = types.SimpleNamespace(
    datetime=_FixedDatetime, timezone=datetime.timezone, timedelta=datetime.timedelta)
if hasattr(botocore.auth, "get_current_datetime"):
    botocore.auth.get_current_datetime = lambda: WHEN

REQUESTS = [
    # name, endpoint, path_style, token, method, bucket, key, query, headers, body
    ("get-range", "http://127.0.0.1:9000", True, None, "GET", "bkt", "wh/db/t/data/a.parquet",
     [], [("range", "bytes=100-199")], ""),
    ("head", "http://127.0.0.1:9000", True, None, "HEAD", "bkt", "wh/db/t/metadata/v1.json",
     [], [], ""),
    ("put-small", "http://127.0.0.1:9000", True, None, "PUT", "bkt", "wh/db/t/metadata/x.avro",
     [], [], "hello, object"),
    ("put-odd-key", "http://localhost:9000", True, None, "PUT", "my-bucket",
     "wh/a b/k=v/$x+y~z(1)!*'\u00e9\u4e2d.parquet", [], [], "payload"),
    ("create-upload", "http://127.0.0.1:9000", True, None, "POST", "bkt", "wh/big.parquet",
     [("uploads", "")], [], ""),
    ("upload-part", "http://127.0.0.1:9000", True, None, "PUT", "bkt", "wh/big.parquet",
     [("partNumber", "2"), ("uploadId", "VXBsb2FkIElE/+=")], [], "part bytes " * 50),
    ("complete", "http://127.0.0.1:9000", True, None, "POST", "bkt", "wh/big.parquet",
     [("uploadId", "VXBsb2FkIElE/+=")], [],
     "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
     "</CompleteMultipartUpload>"),
    ("abort", "http://127.0.0.1:9000", True, None, "DELETE", "bkt", "wh/big.parquet",
     [("uploadId", "VXBsb2FkIElE/+=")], [], ""),
    ("delete", "http://127.0.0.1:9000", True, None, "DELETE", "bkt", "wh/db/t/data/a.parquet",
     [], [], ""),
    ("list", "http://127.0.0.1:9000", True, None, "GET", "bkt", "",
     [("list-type", "2"), ("prefix", "wh/db/t/"), ("delimiter", "/"),
      ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")], [], ""),
    ("session-token", "http://127.0.0.1:9000", True, "FQoGZXIvYXdzE//token+/=", "GET", "bkt",
     "wh/x", [], [], ""),
    ("virtual-hosted-https", "https://s3.eu-west-3.amazonaws.com", False, None, "PUT",
     "examplebucket", "wh/db/t/data/b.parquet", [], [], "unsigned over TLS"),
    ("virtual-hosted-list", "https://s3.eu-west-3.amazonaws.com", False, None, "GET",
     "examplebucket", "", [("list-type", "2"), ("prefix", "wh/")], [], ""),
]


def url_of(endpoint, path_style, bucket, key, query):
    scheme, authority = endpoint.split("://", 1)
    if path_style:
        host = authority
        path = "/" + bucket + "/" + key if (key or not query) else "/" + bucket
    else:
        host = bucket + "." + authority
        path = "/" + key
    url = scheme + "://" + host + quote(path, safe="/~")
    if query:
        url += "?" + "&".join(quote(k, safe="~") + "=" + quote(v, safe="~") for k, v in query)
    return url


def main():
    out = []
    for (name, endpoint, path_style, token, method, bucket, key, query, headers,
         body) in REQUESTS:
        url = url_of(endpoint, path_style, bucket, key, query)
        creds = Credentials("AKIDBOTOCORE", "sEcReT/botocore+KEY", token)
        req = AWSRequest(method=method, url=url, headers=dict(headers),
                         data=body.encode() if body else None)
        if endpoint.startswith("https") and body:
            # icestream sends bodies over TLS as UNSIGNED-PAYLOAD: botocore's same mode.
            req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        S3SigV4Auth(creds, "s3", "eu-west-3").add_auth(req)
        auth = req.headers["Authorization"]
        fields = [name, endpoint, "true" if path_style else "false", token or "-", method,
                  bucket, key,
                  "&".join(k + "=" + v for k, v in query) if query else "-",
                  "|".join(k + ":" + v for k, v in headers) if headers else "-",
                  body, DATE, url, auth]
        if any("\t" in f or "\n" in f for f in fields):
            sys.exit("s3_botocore_sign: a field holds a tab or newline")
        out.append("\t".join(fields))
    sys.stdout.write("\n".join(out) + "\n")


main()
