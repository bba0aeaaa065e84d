/*
 * Differential oracle: the C libinjection 3.9.2 linked into Debian 12's libmodsecurity3 3.0.9,
 * the code ModSecurity v3 runs for @detectSQLi and @detectXSS. Reads hex-encoded inputs, one a
 * line, and prints one answer a line (the Java side is OracleFormat in the tests):
 *   (default) "<fingerprint or ->\t<xss 0/1>"          (libinjection_sqli, libinjection_xss)
 *   tokens    for each of the 5 passes of libinjection_is_sqli (flags 9, 17, 10, 18, 20):
 *             "<flags>:<fp>:<type><str_open><str_close>|<val hex>|<count>;...ddxN,hashN,tokN"
 *   lookup    plain-text words in, "<word>\t<type or ->" out (libinjection_sqli_lookup_word)
 *
 * Build: gcc -O2 -o oracle oracle.c /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3
 * The struct layouts are libinjection 3.9.2's (libinjection_sqli.h); the stats fields after the
 * fingerprint were located by probing: ints[2] = stats_comment_ddx, ints[4] =
 * stats_comment_hash, ints[6] = stats_tokens.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
struct tok { size_t pos; size_t len; int count; char type; char str_open; char str_close; char val[32]; };
struct st { const char *s; size_t slen; void* lookup; void* userdata; int flags; size_t pos;
  struct tok tokenvec[8]; struct tok *current; char fingerprint[8];
  int ints[16]; char pad[256]; };
int libinjection_sqli(const char* s, size_t len, char fp[]);
int libinjection_xss(const char* s, size_t len);
void libinjection_sqli_init(struct st*, const char*, size_t, int);
char libinjection_sqli_lookup_word(void*, int, const char*, size_t);
const char* libinjection_sqli_fingerprint(struct st*, int);
static int hv(int c){ return c<='9'? c-'0' : (c|32)-'a'+10; }
int main(int argc, char** argv) {
  static char line[1<<20]; static char buf[1<<19];
  int tokens = argc > 1 && strcmp(argv[1], "tokens") == 0;
  if (argc > 1 && strcmp(argv[1], "lookup") == 0) {
    while (fgets(line, sizeof line, stdin)) {
      size_t n = strcspn(line, "\n"); line[n] = 0;
      char t = libinjection_sqli_lookup_word(NULL, 1, line, n);
      printf("%s\t%c\n", line, t ? t : '-');
    }
    return 0;
  }
  int flagsets[5] = {1|8, 1|16, 2|8, 2|16, 4|16};
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strcspn(line, "\n"), m = 0;
    for (size_t i = 0; i + 1 < n; i += 2) buf[m++] = (char)(hv(line[i]) * 16 + hv(line[i+1]));
    buf[m] = 0;
    if (!tokens) {
      char fp[8]; int s = libinjection_sqli(buf, m, fp); int x = libinjection_xss(buf, m);
      printf("%s\t%d\n", s ? fp : "-", x);
      continue;
    }
    for (int f = 0; f < 5; f++) {
      struct st state; libinjection_sqli_init(&state, buf, m, 0);
      const char* fp = libinjection_sqli_fingerprint(&state, flagsets[f]);
      printf("%s%d:%s:", f ? " " : "", flagsets[f], fp);
      size_t tl = strlen(fp);
      for (size_t i = 0; i < tl; i++) {
        struct tok* t = &state.tokenvec[i];
        printf("%02x%02x%02x|", (unsigned char)t->type, (unsigned char)t->str_open, (unsigned char)t->str_close);
        for (size_t j = 0; j < t->len && j < 31; j++) printf("%02x", (unsigned char)t->val[j]);
        printf("|%d;", t->count);
      }
      printf("ddx%d,hash%d,tok%d", state.ints[2], state.ints[4], state.ints[6]);
    }
    printf("\n");
  }
  return 0;
}
