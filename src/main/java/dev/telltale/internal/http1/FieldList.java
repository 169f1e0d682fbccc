package dev.telltale.internal.http1;

import java.util.Arrays;
import java.util.List;

/**
 * Header or trailer fields as they are parsed: names and values alternating in one growable array
 * ({@code [name0, value0, name1, value1, ...]}), so a finished head is one exact-size copy rather
 * than two lists, two backing arrays and two unmodifiable wrappers. Not thread-safe.
 */
final class FieldList {
  private String[] items;
  private int size;

  FieldList(int fields) {
    items = new String[Math.max(2, fields * 2)];
  }

  /** How many fields (name and value pairs). */
  int count() {
    return size / 2;
  }

  void add(String name, String value) {
    if (size + 2 > items.length) {
      items = Arrays.copyOf(items, items.length * 2);
    }
    items[size++] = name;
    items[size++] = value;
  }

  String lastValue() {
    return items[size - 1];
  }

  void setLastValue(String value) {
    items[size - 1] = value;
  }

  /** The fields as an exact-size flat array, {@code [name0, value0, ...]}; a copy. */
  String[] toArray() {
    return size == 0 ? NO_FIELDS : Arrays.copyOf(items, size);
  }

  /** A copy of its own, sized for what it holds plus growth. */
  FieldList copy() {
    FieldList c = new FieldList(Math.max(4, count() * 2));
    System.arraycopy(items, 0, c.items, 0, size);
    c.size = size;
    return c;
  }

  /** Forgets every field, letting go of the strings (for a list that is reused). */
  void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
  }

  static final String[] NO_FIELDS = new String[0];

  /** The names of a flat field array, in order, as an unmodifiable list (built on each call). */
  static List<String> names(String[] flat) {
    return every(flat, 0);
  }

  /** The values of a flat field array, in order, as an unmodifiable list (built on each call). */
  static List<String> values(String[] flat) {
    return every(flat, 1);
  }

  private static List<String> every(String[] flat, int first) {
    String[] out = new String[flat.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = flat[2 * i + first];
    }
    return List.of(out);
  }
}
