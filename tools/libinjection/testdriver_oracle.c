/*
 * Runs libinjection test files (--TEST--/--INPUT--/--EXPECTED--) through the C libinjection 3.9.2
 * that Debian's libmodsecurity3 (3.0.9) links in, and prints what it produces, in the output
 * formats of libinjection's own src/testdriver.c (tokens, folding, sqli, html5, xss), so that the
 * expectations of the Java port's upstream tests can be checked against the real 3.9.2.
 *
 * Build: gcc -O2 -o testdriver_oracle testdriver_oracle.c /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3
 * Usage: testdriver_oracle FILE...   (prints "==> FILE" then the actual output of each)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libinjection 3.9.2's public structs (libinjection_sqli.h, libinjection_html5.h) */
struct tok { size_t pos; size_t len; int count; char type; char str_open; char str_close; char val[32]; };
struct sqli_state { const char *s; size_t slen; void *lookup; void *userdata; int flags; size_t pos;
  struct tok tokenvec[8]; struct tok *current; char fingerprint[8]; int stats[16]; char pad[256]; };
struct h5_state { const char *s; size_t len; size_t pos; int is_close; void *state;
  const char *token_start; size_t token_len; int token_type; char pad[64]; };

void libinjection_sqli_init(struct sqli_state *, const char *, size_t, int);
int libinjection_sqli_tokenize(struct sqli_state *);
int libinjection_sqli_fold(struct sqli_state *);
int libinjection_sqli(const char *, size_t, char[]);
int libinjection_xss(const char *, size_t);
void libinjection_h5_init(struct h5_state *, const char *, size_t, int);
int libinjection_h5_next(struct h5_state *);

static const char *H5[] = {"DATA_TEXT", "TAG_NAME_OPEN", "TAG_NAME_CLOSE", "TAG_NAME_SELFCLOSE",
  "TAG_DATA", "TAG_CLOSE", "ATTR_NAME", "ATTR_VALUE", "TAG_COMMENT", "DOCTYPE"};

static void print_token(struct tok *t) {
  printf("%c ", t->type);
  if (t->type == 'v') { if (t->count >= 1) putchar('@'); if (t->count == 2) putchar('@'); }
  if ((t->type == 's' || t->type == 'v') && t->str_open) putchar(t->str_open);
  printf("%s", t->val);
  if ((t->type == 's' || t->type == 'v') && t->str_close) putchar(t->str_close);
  putchar('\n');
}

static void rtrim(char *s) {
  size_t n = strlen(s);
  while (n && strchr(" \n\t\r", s[n - 1])) s[--n] = 0;
}

int main(int argc, char **argv) {
  for (int a = 1; a < argc; a++) {
    static char buf[65536], input[65536];
    FILE *f = fopen(argv[a], "r");
    if (!f) { perror(argv[a]); return 1; }
    size_t n = fread(buf, 1, sizeof buf - 1, f); buf[n] = 0; fclose(f);
    char *in = strstr(buf, "--INPUT--\n"), *ex = strstr(buf, "--EXPECTED--\n");
    if (!in || !ex) continue;
    in += 10; memcpy(input, in, (size_t)(ex - in)); input[ex - in] = 0; rtrim(input);
    size_t slen = strlen(input);
    printf("==> %s\n", argv[a]);
    if (strstr(argv[a], "test-tokens-")) {
      struct sqli_state st; libinjection_sqli_init(&st, input, slen, 1 | 8);
      while (libinjection_sqli_tokenize(&st) == 1) print_token(st.current);
    } else if (strstr(argv[a], "test-folding-")) {
      struct sqli_state st; libinjection_sqli_init(&st, input, slen, 1 | 8);
      int k = libinjection_sqli_fold(&st);
      for (int i = 0; i < k; i++) print_token(&st.tokenvec[i]);
    } else if (strstr(argv[a], "test-sqli-")) {
      char fp[8]; if (libinjection_sqli(input, slen, fp)) printf("%s\n", fp);
    } else if (strstr(argv[a], "test-html5-")) {
      struct h5_state hs; libinjection_h5_init(&hs, input, slen, 0);
      while (libinjection_h5_next(&hs))
        printf("%s,%d,%.*s\n", H5[hs.token_type], (int)hs.token_len, (int)hs.token_len, hs.token_start);
    } else if (strstr(argv[a], "test-xss-")) {
      printf("%d\n", libinjection_xss(input, slen));
    }
  }
  return 0;
}
