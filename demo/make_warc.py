"""Build demo/corpus/crawl/valdoria.warc.gz from the HTML pages in demo/warc_src/.

Deterministic: fixed WARC-Date values, fixed WARC-Record-IDs (uuid5 of the target URI and
record type) and gzip members with a zero mtime, so re-running it gives a byte-identical file.

Records written, in order:
  warcinfo
  request   https://valdoriatoday.vl/news/2021/03/13/ostraleaks-47-pages-nightwater
  response  (same URI, text/html)                                              -> A07
  response  https://ostra-bote.vl/valdorien/2021/03/18/ostraleaks-zweifel-nightwater-papiere  -> A13
  response  https://valdoriatoday.vl/static/img/logo.png (image/png, not an article; skip it)
  response  https://ostra-bote.vl/valdorien/2023/06/09/dolvany-norovirus-kinder             -> A19
  response  https://golos-valdorii.news/politika/2024/06/19/valdoriya-podnyalas-15000          -> A24

Usage:  /work/main/.venv/bin/python demo/make_warc.py
"""
import base64
import pathlib
import uuid
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE / "warc_src"
OUT = HERE / "corpus" / "crawl" / "valdoria.warc.gz"

NS = uuid.UUID("6f1c2a0e-0000-4000-8000-0000000000aa")
USER_AGENT = "narratrace-demo-crawler/0.1 (+https://example.org/narratrace)"

# (source file, target URI, WARC-Date, Last-Modified HTTP header)
PAGES = [
    ("valdoriatoday-ostraleaks.html",
     "https://valdoriatoday.vl/news/2021/03/13/ostraleaks-47-pages-nightwater",
     "2021-03-13T15:02:11Z", "Sat, 13 Mar 2021 13:40:00 GMT"),
    ("ostra-bote-nightwater-zweifel.html",
     "https://ostra-bote.vl/valdorien/2021/03/18/ostraleaks-zweifel-nightwater-papiere",
     "2021-03-18T08:30:47Z", "Thu, 18 Mar 2021 06:45:00 GMT"),
    ("ostra-bote-dolvany-norovirus.html",
     "https://ostra-bote.vl/valdorien/2023/06/09/dolvany-norovirus-kinder",
     "2023-06-09T07:12:05Z", "Fri, 09 Jun 2023 04:30:00 GMT"),
    ("golos-valdorii-valdoriya-podnyalas.html",
     "https://golos-valdorii.news/politika/2024/06/19/valdoriya-podnyalas-15000",
     "2024-06-19T09:41:58Z", "Wed, 19 Jun 2024 08:00:00 GMT"),
]

# A 1x1 PNG (70 bytes): a non-HTML response that readers must skip.
PNG_URI = "https://valdoriatoday.vl/static/img/logo.png"
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def rec_id(uri, kind):
    return f"<urn:uuid:{uuid.uuid5(NS, kind + ' ' + uri)}>"


def response(writer, uri, date, payload, content_type, last_modified):
    http = StatusAndHeaders("200 OK", [
        ("Content-Type", content_type),
        ("Content-Length", str(len(payload))),
        ("Last-Modified", last_modified),
        ("Server", "nginx"),
    ], protocol="HTTP/1.1")
    rec = writer.create_warc_record(
        uri, "response", payload=BytesIO(payload), length=len(payload), http_headers=http,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": rec_id(uri, "response")})
    writer.write_record(rec)


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        info_fields = (b"software: narratrace demo make_warc.py (warcio)\r\n"
                       b"format: WARC File Format 1.0\r\n"
                       b"description: fictional Valdoria demo crawl, CC0\r\n")
        info = writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(info_fields), length=len(info_fields),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": "2024-07-05T00:00:00Z",
                               "WARC-Record-ID": rec_id("valdoria.warc.gz", "warcinfo"),
                               "WARC-Filename": "valdoria.warc.gz"})
        writer.write_record(info)

        for i, (fname, uri, date, lastmod) in enumerate(PAGES):
            payload = (SRC / fname).read_bytes()
            if i == 0:
                host = uri.split("/")[2]
                path = "/" + uri.split("/", 3)[3]
                req_http = StatusAndHeaders(f"GET {path} HTTP/1.1", [
                    ("Host", host), ("User-Agent", USER_AGENT),
                    ("Accept", "text/html,application/xhtml+xml"),
                    ("Accept-Language", "en"),
                ], is_http_request=True)
                req = writer.create_warc_record(
                    uri, "request", http_headers=req_http,
                    warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": rec_id(uri, "request"),
                                       "WARC-Concurrent-To": rec_id(uri, "response")})
                writer.write_record(req)
            response(writer, uri, date, payload, "text/html; charset=utf-8", lastmod)
            if i == 1:
                response(writer, PNG_URI, "2021-03-18T08:30:49Z", PNG_BYTES, "image/png",
                         "Mon, 04 Jan 2021 10:00:00 GMT")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
