#!/usr/bin/env python3
"""Converts libinjection's src/libinjection_sqli_data.h into sqli-keywords.tsv.

Reads the `static const keyword_t sql_keywords[] = { {"WORD", 'T'}, ... };` array of the header
(https://github.com/client9/libinjection or https://github.com/libinjection/libinjection,
BSD-3-Clause) and prints one `WORD<TAB>TYPE` line per entry, in the header's (sorted) order.
Use it to move the Java port to another libinjection release; the committed table was extracted
from the library ModSecurity 3.0.9 runs (extract_keywords.py), which is libinjection 3.9.2.

Usage: sqli_data_to_tsv.py libinjection_sqli_data.h > sqli-keywords.tsv
"""
import re
import sys

ENTRY = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"\s*,\s*\'((?:[^\'\\]|\\.))\'\s*\}')


def unescape(s):
    return bytes(s, "latin-1").decode("unicode_escape").encode("latin-1")


def main():
    text = open(sys.argv[1], encoding="latin-1").read()
    start = text.index("sql_keywords[]")
    end = text.index("};", start)
    entries = [(unescape(w), unescape(t)) for w, t in ENTRY.findall(text[start:end])]
    words = [w for w, _ in entries]
    assert words == sorted(words), "table must be sorted for libinjection's binary search"
    out = sys.stdout.buffer
    for word, kind in entries:
        out.write(word + b"\t" + kind + b"\n")
    print(f"{len(entries)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
