"""Fetching from the web: `ingest URL...` and `watch`, within the bounds a crawler owes the sites it reads.

`client` (robots.txt, rate limits, conditional requests, retries, caps),
`guard` (no private addresses, checked after DNS and on every redirect),
`record` (every response kept in WARC files), `inputs` (URLs on the ingest
command line), `sources`, `discover` and `watch` (polling feeds and sitemaps),
`state` (what survives a restart).
"""
