package dev.telltale.internal;

import dev.telltale.internal.http1.Http1RequestWriter;
import java.util.ArrayList;
import java.util.List;

/** Helpers the public {@code Request} uses to build its internal message. */
public final class RequestBuilderAccess {
  private RequestBuilderAccess() {}

  /** Parses "Name: value" lines separated by CRLF or LF into a flat name/value list. */
  public static List<String> parseHeaderLines(String lines) {
    if (lines == null) {
      throw new IllegalArgumentException("header lines must not be null");
    }
    List<String> out = new ArrayList<>();
    for (String line : lines.split("\r?\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("header line has no name before a colon");
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).trim();
      Http1RequestWriter.validateFieldName(name);
      Http1RequestWriter.validateFieldValue(value);
      out.add(name);
      out.add(value);
    }
    return out;
  }

}
