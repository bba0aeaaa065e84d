#!/usr/bin/env python3
"""Generates test inputs for comparing the Java libinjection port with the C original.

Prints one hex-encoded input a line: random bytes, SQL-like and HTML-like token soup, and
realistic attack and benign strings. Usage: gen_inputs.py COUNT SEED > inputs.hex
"""
import random
import sys

SQL_WORDS = """select union all from where and or not xor like rlike regexp in is null true false
order by group having limit offset into outfile dumpfile insert update delete drop table
exec execute declare waitfor delay sleep benchmark if case when then else end cast convert
char chr concat substring ascii version user database password current_user collate utf8_bin
load_file information_schema tables columns sp_password xp_cmdshell shutdown procedure
analyse div mod binary distinct top nvarchar varchar int float double pg_sleep dbms_pipe
begin commit rollback create alter grant revoke set names charset left right join on as
exists any some between escape match against boolean mode user_id localtime sys_context
unhex hex md5 sha1 count avg sum min max isnull ifnull coalesce nullif @@version @@hostname
@var @@`version` @'x' `select` `foo` `` N'x' n'y' E'z' U&'abc' b'0101' x'4142' q'[x]' nq'<y>'
$$a$$ $tag$body$tag$ $1,000.00 $. $ \\N \\1 \\% 0x41 0b101 0x 1e5 1.e 1.2f 1d .5 1.2.3 1fUNION
""".split()
SQL_PUNCT = ["'", '"', '`', '(', ')', ',', ';', '.', '=', '<', '>', '<=', '>=', '<>', '!=', '<=>',
             '||', '&&', '|', '&', '^', '~', '!', '!!', '+', '-', '*', '/', '%', ':=', '::', ':',
             '--', '-- ', '#', '/*', '*/', '/*!', '/*!50000', '{', '}', '[', ']', '?', '@', '@@',
             '\\', '\\\\', "''", '""', ' ', ' ', ' ', '  ', '\t', '\n', '\r', '\x00', '\xa0',
             '\x0b', '\x0c', '1', '0', '42', '3.14', "'1'", '"a"', 'foo', 'bar', 'x', 'a_b']
HTML_PARTS = ['<', '>', '</', '/>', '<!--', '-->', '--!>', '<!', '<?', '?>', '<%', '%>',
              '<![CDATA[', ']]>', '<!DOCTYPE html>', '<!doctype', '=', '"', "'", '`', ' ', '\t',
              '\n', '\x00', '\xff', '\xa0', 'script', 'SCRIPT', 'img', 'svg', 'iframe', 'a', 'div',
              'b', 'xss', 'xsl:x', 'style', 'object', 'embed', 'base', 'link', 'meta', 'body',
              'src', 'href', 'onerror', 'onload', 'onx', 'onab', 'on', 'style', 'xmlns', 'xlink:href',
              'attributeName', 'values', 'from', 'to', 'by', 'action', 'formaction', 'background',
              'datasrc', 'title', 'alt', 'class', 'id', 'javascript:', 'JaVaScRiPt:', 'java\tscript:',
              'vbscript:', 'data:', 'view-source:', '&#106;', '&#x6A;', '&#0000106', '&#x0006a;',
              '&#', '&#x', '&amp;', '&lt;', 'http://x', 'alert(1)', '[if IE]', 'xml', 'import',
              'entity', 'ENTITY', 'x', 'y', '1', '\x01', '\x7f', '\x80', '\xfe']
PAYLOADS = [
    "1' OR '1'='1", "1 UNION SELECT password FROM users", "O'Brien", "' or 1=1--",
    "admin'--", "1; DROP TABLE users", "1 AND SLEEP(5)", "' UNION SELECT NULL,NULL--",
    "1' AND 1=CONVERT(int,@@version)--", "-1 OR 1=1", "1) OR (1=1", "\" or \"\"=\"",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">",
    "<svg/onload=alert(1)>", "<iframe src=//evil>", "\"><script>", "' onmouseover='alert(1)",
    "patient has < 5 mg/L; follow-up > 2 weeks", "The patient's blood pressure is 120/80.",
    "Please select one of the options from the list and update the record.",
    '{"resourceType":"Patient","name":[{"family":"O\'Brien","given":["Mary"]}]}',
    "2023-01-05T10:00:00Z", "a <= b and c >= d", "Take 1-2 tablets; max 8/day",
    "Smith & Sons -- order #42", "drop by the office or call", "union station at 5pm",
]

def soup(rng, parts, n):
    return ''.join(rng.choice(parts) + (' ' if rng.random() < 0.5 else '') for _ in range(n))

def one(rng):
    r = rng.random()
    if r < 0.15:
        return ''.join(chr(rng.randrange(256)) for _ in range(rng.randrange(0, 24)))
    if r < 0.25:
        return ''.join(rng.choice(" '\"`()-#/*!$@\\;,.01aAqQnNeExXbBuU&[]{}<>=:|^~%?\n\x00\xa0")
                       for _ in range(rng.randrange(1, 16)))
    if r < 0.65:
        return soup(rng, SQL_WORDS + SQL_PUNCT, rng.randrange(1, 10))
    if r < 0.9:
        return ''.join(rng.choice(HTML_PARTS) for _ in range(rng.randrange(1, 12)))
    p = rng.choice(PAYLOADS)
    if rng.random() < 0.5:
        i = rng.randrange(len(p) + 1)
        p = p[:i] + rng.choice(SQL_PUNCT + HTML_PARTS) + p[i:]
    return p

def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    for _ in range(count):
        print(one(rng).encode('latin-1').hex())

if __name__ == '__main__':
    main()
