#!/usr/bin/env python3
"""Extracts libinjection's sql_keywords table from a built ModSecurity library.

This is how src/main/resources/waf/libinjection/sqli-keywords.tsv was made: from Debian 12's
libmodsecurity3 3.0.9 (`apt-get install libmodsecurity3`), which links in libinjection 3.9.2
(libinjection_version() says so) -- the C code that ModSecurity v3 runs for @detectSQLi. The
upstream source of the table is src/libinjection_sqli_data.h of libinjection
(https://github.com/client9/libinjection, BSD-3-Clause, see the LICENSE beside the resource);
sqli_data_to_tsv.py converts that header instead, when one is at hand.

The table is a static array of {const char *word; char type} (16 bytes on x86-64) in
.data.rel.ro; each word pointer is an R_X86_64_RELATIVE relocation into .rodata. The longest run
of such 16-byte entries is the table. Every entry is then checked with the library's own
libinjection_sqli_lookup_word (see oracle.c's "lookup" mode in the README).

Usage: extract_keywords.py [/usr/lib/x86_64-linux-gnu/libmodsecurity.so.3] > sqli-keywords.tsv
"""
import re
import subprocess
import sys

TYPES = b"kUBEtfn1vso&cA(){}.,:;TX?F\\"


def main():
    lib = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/x86_64-linux-gnu/libmodsecurity.so.3"
    data = open(lib, "rb").read()
    sections = {}
    for line in subprocess.run(["readelf", "-SW", lib], capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            sections[m.group(1)] = tuple(int(m.group(i), 16) for i in (2, 3, 4))

    def to_offset(addr):
        for name, (vaddr, off, size) in sections.items():
            if vaddr and vaddr <= addr < vaddr + size:
                return addr - vaddr + off, name
        return None, None

    relocs = {}
    for line in subprocess.run(["readelf", "-rW", lib], capture_output=True, text=True).stdout.splitlines():
        cols = line.split()
        if len(cols) >= 4 and cols[2] == "R_X86_64_RELATIVE":
            relocs[int(cols[0], 16)] = int(cols[3], 16)

    def entry(addr):
        target, section = to_offset(relocs[addr])
        type_off, _ = to_offset(addr + 8)
        if section != ".rodata" or type_off is None:
            return None
        if data[type_off] not in TYPES or data[type_off + 1:type_off + 8] != b"\0" * 7:
            return None
        return data[target:data.index(b"\0", target)], chr(data[type_off])

    best, run = [], []
    for addr in sorted(relocs):
        e = entry(addr)
        if e and run and addr == run[-1][0] + 16:
            run.append((addr, e))
        else:
            if len(run) > len(best):
                best = run
            run = [(addr, e)] if e else []
    if len(run) > len(best):
        best = run

    words = [w for _, (w, _) in best]
    assert words == sorted(words), "table must be sorted for libinjection's binary search"
    out = sys.stdout.buffer
    for _, (word, kind) in best:
        out.write(word + b"\t" + kind.encode() + b"\n")
    print(f"{len(best)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
