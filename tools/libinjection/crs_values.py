#!/usr/bin/env python3
"""Prints, hex-encoded, the distinct values of the CRS 3.3.4 regression tests (../shared/waf/
crs-3.3.4-regression): each test's uri, body and header values, raw, URL-decoded, and split into
parameter names and values -- what @detectSQLi/@detectXSS see. Input for oracle.c.

Usage: crs_values.py [REGRESSION_DIR] > crs.hex
"""
import yaml, glob, urllib.parse, sys
vals = set()
def add(s):
    if isinstance(s, str) and s:
        b = s.encode('latin-1', 'replace')
        vals.add(b)
        try:
            d = urllib.parse.unquote_to_bytes(s.replace('+', ' '))
            vals.add(d)
            for part in d.split(b'&'):
                for kv in part.split(b'=', 1):
                    if kv: vals.add(kv)
        except Exception:
            pass
for f in glob.glob((sys.argv[1] if len(sys.argv) > 1 else '../shared/waf/crs-3.3.4-regression') + '/**/*.yaml', recursive=True):
    doc = yaml.safe_load(open(f, encoding='utf-8', errors='replace'))
    for t in (doc or {}).get('tests', []) or []:
        for st in t.get('stages', []) or []:
            inp = (st.get('stage') or st).get('input', {}) or {}
            add(inp.get('uri'))
            d = inp.get('data')
            if isinstance(d, list): d = '\n'.join(map(str, d))
            add(d)
            for k, v in (inp.get('headers') or {}).items():
                add(str(v))
for v in sorted(vals):
    print(v.hex())
