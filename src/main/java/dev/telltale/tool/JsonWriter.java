package dev.telltale.tool;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A minimal writer of one JSON object on one line, for the tracer's {@code --json} output: fields
 * are appended in order, strings are escaped (quotes, backslashes and every control character, so
 * an object never spans lines), numbers are written as given.
 *
 * <pre>{@code
 * new JsonWriter().field("status", "RESOLVING_NAME").field("value", 1).end()
 * // {"status":"RESOLVING_NAME","value":1}
 * }</pre>
 */
final class JsonWriter {
  private final StringBuilder sb = new StringBuilder("{");
  private boolean first = true;

  /** Appends a string field; {@code null} is written as JSON {@code null}. */
  JsonWriter field(String name, String value) {
    name(name);
    if (value == null) {
      sb.append("null");
    } else {
      string(sb, value);
    }
    return this;
  }

  /** Appends an integral number field. */
  JsonWriter field(String name, long value) {
    name(name).append(value);
    return this;
  }

  /** Appends a boolean field. */
  JsonWriter field(String name, boolean value) {
    name(name).append(value);
    return this;
  }

  /** Appends a duration as milliseconds with three decimals, e.g. {@code 1.234}. */
  JsonWriter millis(String name, Duration value) {
    name(name).append(Millis.decimal(value.toNanos(), 3));
    return this;
  }

  /** Appends a number of nanoseconds as milliseconds with two decimals, e.g. {@code 1.23}. */
  JsonWriter millis(String name, long nanos) {
    name(name).append(Millis.decimal(nanos, 2));
    return this;
  }

  /** Appends an array of strings. */
  JsonWriter field(String name, Collection<String> values) {
    name(name).append('[');
    boolean firstValue = true;
    for (String value : values) {
      if (!firstValue) {
        sb.append(',');
      }
      firstValue = false;
      string(sb, value);
    }
    sb.append(']');
    return this;
  }

  /** Appends an array of objects, each already written by another writer. */
  JsonWriter objects(String name, List<JsonWriter> objects) {
    name(name).append('[');
    for (int i = 0; i < objects.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(objects.get(i).end());
    }
    sb.append(']');
    return this;
  }

  /** Appends an object, already written by another writer. */
  JsonWriter field(String name, JsonWriter object) {
    name(name).append(object.end());
    return this;
  }

  /** Returns the object written so far, closed: {@code {...}}. */
  String end() {
    return sb + "}";
  }

  private StringBuilder name(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    string(sb, name);
    return sb.append(':');
  }

  /** Appends {@code value} as a JSON string literal. */
  static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
