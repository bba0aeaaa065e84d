package dev.citizen.gateway.waf.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A case-insensitive (ASCII) Aho-Corasick automaton over byte strings: finds whether any of many
 * phrases occurs in a value in one pass. Nodes keep sparse, sorted edge lists, because CRS's
 * phrase files hold thousands of phrases and a dense 256-way table per node would cost megabytes.
 * Immutable after construction, so safe to share between threads.
 */
final class AhoCorasick {
  private char[][] keys = new char[16][];
  private int[][] targets = new int[16][];
  private int[] fail = new int[16];
  /** Index into {@link #phrases} of the shortest phrase ending here (directly or via fail), or -1. */
  private int[] output = new int[16];

  private int size;
  private final List<String> phrases = new ArrayList<>();

  AhoCorasick(List<String> phraseList) {
    newNode();
    for (String phrase : phraseList) {
      if (phrase.isEmpty()) {
        continue;
      }
      int node = 0;
      for (int i = 0; i < phrase.length(); i++) {
        char c = lower(phrase.charAt(i));
        int next = child(node, c);
        if (next < 0) {
          next = newNode();
          addChild(node, c, next);
        }
        node = next;
      }
      if (output[node] < 0) {
        output[node] = phrases.size();
        phrases.add(phrase);
      }
    }
    buildFailureLinks();
  }

  boolean isEmpty() {
    return phrases.isEmpty();
  }

  /** The first phrase found in {@code text} (as listed), or null. */
  String find(String text) {
    int node = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = lower(text.charAt(i));
      int next;
      while ((next = child(node, c)) < 0 && node != 0) {
        node = fail[node];
      }
      node = next < 0 ? 0 : next;
      if (output[node] >= 0) {
        return phrases.get(output[node]);
      }
    }
    return null;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  private int newNode() {
    if (size == keys.length) {
      int cap = size * 2;
      keys = Arrays.copyOf(keys, cap);
      targets = Arrays.copyOf(targets, cap);
      fail = Arrays.copyOf(fail, cap);
      output = Arrays.copyOf(output, cap);
    }
    keys[size] = new char[0];
    targets[size] = new int[0];
    output[size] = -1;
    return size++;
  }

  private int child(int node, char c) {
    char[] k = keys[node];
    int idx = Arrays.binarySearch(k, c);
    return idx >= 0 ? targets[node][idx] : -1;
  }

  private void addChild(int node, char c, int target) {
    char[] k = keys[node];
    int idx = -(Arrays.binarySearch(k, c) + 1);
    char[] nk = new char[k.length + 1];
    int[] nt = new int[k.length + 1];
    System.arraycopy(k, 0, nk, 0, idx);
    System.arraycopy(targets[node], 0, nt, 0, idx);
    nk[idx] = c;
    nt[idx] = target;
    System.arraycopy(k, idx, nk, idx + 1, k.length - idx);
    System.arraycopy(targets[node], idx, nt, idx + 1, k.length - idx);
    keys[node] = nk;
    targets[node] = nt;
  }

  private void buildFailureLinks() {
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : targets[0]) {
      fail[t] = 0;
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      char[] k = keys[node];
      for (int e = 0; e < k.length; e++) {
        int t = targets[node][e];
        int f = fail[node];
        int next;
        while ((next = child(f, k[e])) < 0 && f != 0) {
          f = fail[f];
        }
        fail[t] = next >= 0 && next != t ? next : 0;
        if (output[t] < 0) {
          output[t] = output[fail[t]];
        }
        queue.add(t);
      }
    }
  }
}
