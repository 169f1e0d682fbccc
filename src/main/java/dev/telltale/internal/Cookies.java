package dev.telltale.internal;

import dev.telltale.internal.http1.ResponseHead;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's {@link CookieHandler} at the two points where HTTP meets it: the {@code Cookie}
 * field of each attempt (every redirect hop and authentication retry asks again, for its own URI)
 * and the {@code Set-Cookie} fields of each final response, including redirects and 401s, since
 * servers set session cookies on exactly those. A handler that throws loses that cookie exchange,
 * not the request: it is logged at WARN, as a callback's exception is.
 */
final class Cookies {
  private static final Logger log = LoggerFactory.getLogger(Cookies.class);

  private Cookies() {}

  /**
   * Appends the handler's {@code Cookie} field for {@code message} to {@code out}, unless the
   * application set its own {@code Cookie} header, which then wins.
   */
  static void addFields(CookieHandler handler, RequestMessage message, List<String> out) {
    URI uri = uriOf(message);
    if (uri == null || message.field("Cookie") != null) {
      return;
    }
    try {
      Map<String, List<String>> found = handler.get(uri, fieldsOf(message.fields));
      List<String> cookies = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : found.entrySet()) {
        if ("Cookie".equalsIgnoreCase(e.getKey()) && e.getValue() != null) {
          cookies.addAll(e.getValue());
        }
      }
      if (!cookies.isEmpty()) {
        out.add("Cookie");
        out.add(String.join("; ", cookies));
      }
    } catch (IOException | RuntimeException e) {
      log.warn("the CookieHandler failed to give the cookies for {}; the request goes without", uri, e);
    }
  }

  /** Passes the fields of {@code head}, the response to {@code message}, to the handler. */
  static void store(CookieHandler handler, RequestMessage message, ResponseHead head) {
    URI uri = uriOf(message);
    if (uri == null || !(head.contains("Set-Cookie") || head.contains("Set-Cookie2"))) {
      return;
    }
    List<String> flat = new ArrayList<>(head.fieldCount() * 2);
    for (int i = 0; i < head.fieldCount(); i++) {
      flat.add(head.fieldName(i));
      flat.add(head.fieldValue(i));
    }
    try {
      handler.put(uri, fieldsOf(flat));
    } catch (IOException | RuntimeException e) {
      log.warn("the CookieHandler failed to store the cookies of {}", uri, e);
    }
  }

  private static Map<String, List<String>> fieldsOf(List<String> flat) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < flat.size(); i += 2) {
      map.computeIfAbsent(flat.get(i), k -> new ArrayList<>()).add(flat.get(i + 1));
    }
    return map;
  }

  /** The attempt's URI, or null if the target does not make one (then cookies are skipped). */
  private static URI uriOf(RequestMessage message) {
    Origin origin = message.origin;
    try {
      return URI.create((origin.secure() ? "https://" : "http://") + origin.hostHeader()
          + strictTarget(message.target));
    } catch (IllegalArgumentException e) {
      log.debug("no cookies for target {}: not a valid URI", message.target);
      return null;
    }
  }

  /**
   * {@code target} with every character java.net.URI refuses in a path or query percent-encoded.
   * Servers take {@code |}, braces, quotes and the like (search APIs, JQL), and URI.create does
   * not; without this, such a request would silently go without its cookies. The handler matches
   * on the host and path prefix, which the encoding keeps.
   */
  static String strictTarget(String target) {
    StringBuilder out = null;
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      boolean keep = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0
          || c == '%' && i + 2 < target.length() && isHex(target.charAt(i + 1)) && isHex(target.charAt(i + 2)));
      if (keep && out == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(target.length() + 16).append(target, 0, i);
      }
      if (keep) {
        out.append(c);
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
      }
    }
    return out == null ? target : out.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
