package dev.citizen.gateway.waf.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A case-insensitive (ASCII) Aho-Corasick automaton over byte strings: finds whether any of many
 * phrases occurs in a value in one pass. Nodes keep sparse, sorted edge lists while the trie is
 * built. After that, the goto and failure links are folded into one dense transition table over
 * the characters that occur in some phrase (every other character forms one class of its own), so
 * that a search step is a single array read instead of a binary search per failure link: the
 * sparse lookups were about a tenth of the WAF's time. The table has the same states, so a search
 * visits exactly the nodes the sparse walk would. Immutable after construction, so safe to share
 * between threads.
 */
final class AhoCorasick {
  private char[][] keys = new char[16][];
  private int[][] targets = new int[16][];
  private int[] fail = new int[16];
  /** Index into {@link #phrases} of the shortest phrase ending here (directly or via fail), or -1. */
  private int[] output = new int[16];

  private int size;
  private final List<String> phrases = new ArrayList<>();
  /** The node where each phrase of the constructor's list ends (-1 for an empty one). */
  private final int[] phraseNodes;

  /** Beyond this many table cells (2 bytes each), or 32,767 nodes, the sparse walk is kept. */
  static final int MAX_DENSE_CELLS = 4 << 20;

  /** The class of each character 0..255 (0: in no phrase); null when the table is not built. */
  private byte[] charClass;
  /**
   * {@code delta[node * classes + class]}: the next node after a character of that class, with
   * {@link #ENDS} set when a phrase ends there (saving a separate output check). Two bytes a cell:
   * the rule set's shared index has ~13,500 nodes of ~80 classes, 2 MiB instead of 4.
   */
  private char[] delta;
  /** The flag of a {@link #delta} cell whose node ends a phrase; nodes are below it. */
  private static final char ENDS = 0x8000;
  private int classes;

  AhoCorasick(List<String> phraseList) {
    newNode();
    phraseNodes = new int[phraseList.size()];
    for (int p = 0; p < phraseList.size(); p++) {
      String phrase = phraseList.get(p);
      phraseNodes[p] = -1;
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
      phraseNodes[p] = node;
      if (output[node] < 0) {
        output[node] = phrases.size();
        phrases.add(phrase);
      }
    }
    renumberBreadthFirst();
    buildFailureLinks();
    buildDenseTable();
  }

  /** Whether the dense table was built (else the sparse walk runs; for tests). */
  boolean dense() {
    return delta != null;
  }

    boolean isEmpty() {
    return phrases.isEmpty();
  }

  /** The first phrase found in {@code text} (as listed), or null. */
  String find(String text) {
    if (delta != null) {
      return findDense(text);
    }
    int node = 0;
    for (int i = 0; i < text.length(); i++) {
      node = sparseStep(node, text.charAt(i));
      if (output[node] >= 0) {
        return phrases.get(output[node]);
      }
    }
    return null;
  }

  /** The sparse walk's move on {@code c}: the child, else the failure links' (kept when the table is not built). */
  private int sparseStep(int node, char c) {
    char folded = lower(c);
    int next;
    while ((next = child(node, folded)) < 0 && node != 0) {
      node = fail[node];
    }
    return next < 0 ? 0 : next;
  }

  private String findDense(String text) {
    byte[] cls = charClass;
    char[] d = delta;
    int width = classes;
    int node = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      int cell = d[node * width + (c < 256 ? cls[c] : 0)];
      if ((cell & ENDS) != 0) {
        return phrases.get(output[cell & ~ENDS]);
      }
      node = cell;
    }
    return null;
  }

  /**
   * Per node, the union of {@code bits.get(p)} over every phrase p (of the constructor's list)
   * ending there directly or through failure links: what {@link #collect} ORs in at a position.
   * Null for a node where no phrase ends.
   */
  long[][] nodeMasks(List<long[]> bits, int words) {
    long[][] masks = new long[size][];
    for (int p = 0; p < phraseNodes.length; p++) {
      int node = phraseNodes[p];
      if (node >= 0) {
        masks[node] = or(masks[node], bits.get(p), words);
      }
    }
    // Breadth first: a failure node is shallower, so its set is final before its dependants read it.
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : targets[0]) {
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      if (masks[fail[node]] != null) {
        masks[node] = or(masks[node], masks[fail[node]], words);
      }
      for (int t : targets[node]) {
        queue.add(t);
      }
    }
    return masks;
  }

  private static long[] or(long[] into, long[] bits, int words) {
    long[] out = into == null ? new long[words] : into;
    for (int w = 0; w < words; w++) {
      out[w] |= bits[w];
    }
    return out;
  }

  /**
   * ORs into {@code hits} the mask ({@link #nodeMasks}) of every node the search passes where a
   * phrase ends: one pass that finds, for all phrases at once, which occur in {@code text}.
   */
  void collect(String text, long[][] masks, long[] hits) {
    if (delta == null) {
      int node = 0;
      for (int i = 0; i < text.length(); i++) {
        node = sparseStep(node, text.charAt(i));
        if (masks[node] != null) {
          or(hits, masks[node], hits.length);
        }
      }
      return;
    }
    byte[] cls = charClass;
    char[] d = delta;
    int width = classes;
    int node = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      int cell = d[node * width + (c < 256 ? cls[c] : 0)];
      if ((cell & ENDS) != 0) {
        node = cell & ~ENDS;
        long[] m = masks[node];
        for (int w = 0; w < m.length; w++) {
          hits[w] |= m[w];
        }
      } else {
        node = cell;
      }
    }
  }

  /**
   * Builds {@link #delta} from the trie: a node's move on a character is its child if it has
   * one, else its failure node's move (computed first, the failure node being shallower); the
   * root stays on itself. Characters are folded to lower case first, like the phrases, by giving
   * both cases one class.
   */
  private void buildDenseTable() {
    byte[] cls = new byte[256];
    int count = 1;
    for (int node = 0; node < size; node++) {
      for (char c : keys[node]) {
        if (c >= 256) {
          return; // cannot happen with byte strings; keep the sparse walk if it does
        }
        if (cls[c] == 0) {
          if (count == 127) {
            return;
          }
          cls[c] = (byte) count++;
        }
      }
    }
    if ((long) size * count > MAX_DENSE_CELLS || size >= ENDS) {
      return;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      cls[c] = cls[c + 32];
    }
    int[] d = new int[size * count];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    while (!queue.isEmpty()) {
      int node = queue.poll();
      int base = node * count;
      if (node != 0) {
        System.arraycopy(d, fail[node] * count, d, base, count);
      }
      char[] k = keys[node];
      for (int e = 0; e < k.length; e++) {
        int t = targets[node][e];
        d[base + cls[k[e]]] = t;
        queue.add(t);
      }
    }
    char[] cells = new char[d.length];
    for (int cell = 0; cell < d.length; cell++) {
      int next = d[cell];
      cells[cell] = (char) (output[next] >= 0 ? next | ENDS : next);
    }
    charClass = cls;
    delta = cells;
    classes = count;
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

  /**
   * Renumbers the trie's nodes breadth first. A scan of benign text spends nearly all its steps
   * at the root and the nodes one or two characters deep; numbered in the order phrases created
   * them, those rows lay scattered through the dense table (~13,500 nodes, 2 MiB, more than a
   * core's cache), so most steps of a new value's scan reached for a row far from the last.
   * Breadth first, the shallow rows are the table's first few hundred KiB.
   */
  private void renumberBreadthFirst() {
    int[] order = new int[size]; // new id -> old id
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      for (int t : targets[order[head]]) {
        order[tail++] = t;
      }
    }
    int[] newId = new int[size];
    for (int i = 0; i < size; i++) {
      newId[order[i]] = i;
    }
    char[][] k = new char[keys.length][];
    int[][] t = new int[targets.length][];
    int[] out = new int[output.length];
    for (int i = 0; i < size; i++) {
      int old = order[i];
      k[i] = keys[old];
      t[i] = targets[old].clone();
      for (int e = 0; e < t[i].length; e++) {
        t[i][e] = newId[t[i][e]];
      }
      out[i] = output[old];
    }
    keys = k;
    targets = t;
    output = out;
    for (int p = 0; p < phraseNodes.length; p++) {
      if (phraseNodes[p] >= 0) {
        phraseNodes[p] = newId[phraseNodes[p]];
      }
    }
  }

  /** Whether every node's children have larger ids than it and depth never falls as ids rise (for tests). */
  boolean breadthFirst() {
    int[] depth = new int[size];
    for (int node = 0; node < size; node++) {
      for (int t : targets[node]) {
        if (t <= node) {
          return false;
        }
        depth[t] = depth[node] + 1;
      }
      if (node > 0 && depth[node] < depth[node - 1]) {
        return false;
      }
    }
    return true;
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
