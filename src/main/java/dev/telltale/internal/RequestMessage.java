package dev.telltale.internal;

import dev.telltale.internal.http1.Http1RequestWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request as it goes on the wire for one attempt: method, target, origin and header fields.
 * Redirects derive a new message from the old one (method rewrite, credentials dropped across
 * origins), so each hop is a plain value.
 */
public final class RequestMessage {
  final String method;
  final String target;
  final Origin origin;
  /** Application fields, flat: name0, value0, name1, value1, ... */
  final List<String> fields;

  public RequestMessage(String method, String target, Origin origin, List<String> fields) {
    this.method = method;
    this.target = target;
    this.origin = origin;
    this.fields = List.copyOf(fields);
  }

  /** The first value of {@code name} (case-insensitive), or null. */
  String field(String name) {
    for (int i = 0; i < fields.size(); i += 2) {
      if (fields.get(i).equalsIgnoreCase(name)) {
        return fields.get(i + 1);
      }
    }
    return null;
  }

  /** Whether a comma-separated field holds {@code token}, e.g. Connection: close. */
  boolean fieldHasToken(String name, String token) {
    for (int i = 0; i < fields.size(); i += 2) {
      if (fields.get(i).equalsIgnoreCase(name)) {
        for (String part : fields.get(i + 1).split(",")) {
          if (part.trim().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Encodes the head, adding what the application did not set: Host, User-Agent, the body
   * framing ({@code bodyLength} -1 = chunked, 0 = none unless the method expects a body) and
   * {@code Connection: close} when keep-alive is off. {@code route} is the connection's origin:
   * through an HTTP proxy without a tunnel the target goes in absolute form and the proxy's
   * credentials, if any, as {@code Proxy-Authorization} (to the proxy, the next hop, only).
   */
  /**
   * The request target as sent over {@code route}: absolute form through an HTTP proxy without a
   * tunnel (RFC 9112 §3.2.2), else as given. Digest authentication hashes exactly this string.
   */
  String wireTarget(Origin route) {
    return route.absoluteForm() && target.startsWith("/") ? "http://" + origin.hostHeader() + target : target;
  }

  ByteBuffer encodeHead(String userAgent, long bodyLength, boolean keepAliveDisabled, Origin route) {
    ArrayList<String> all = HEAD_SCRATCH.get();
    try {
      return encodeHead(all, userAgent, bodyLength, keepAliveDisabled, route);
    } finally {
      if (all.size() > 256) {
        HEAD_SCRATCH.remove(); // an unusually large head: do not keep its array for good
      } else {
        all.clear(); // lets go of the strings; the list stays the thread's
      }
    }
  }

  /**
   * Per thread, the list the head's fields are gathered in before encoding: every request encodes a
   * head, and the list is only needed until its bytes are written out.
   */
  private static final ThreadLocal<ArrayList<String>> HEAD_SCRATCH =
      ThreadLocal.withInitial(() -> new ArrayList<>(32));

  private ByteBuffer encodeHead(List<String> all, String userAgent, long bodyLength,
      boolean keepAliveDisabled, Origin route) {
    boolean viaProxy = route.absoluteForm();
    String requestTarget = wireTarget(route);
    all.addAll(fields);
    if (viaProxy && route.proxy().hasCredentials() && field("Proxy-Authorization") == null) {
      all.add("Proxy-Authorization");
      all.add(route.proxy().basicAuthorization());
    }
    if (field("User-Agent") == null && userAgent != null && !userAgent.isEmpty()) {
      all.add("User-Agent");
      all.add(userAgent);
    }
    if (bodyLength < 0) {
      if (field("Transfer-Encoding") == null) {
        all.add("Transfer-Encoding");
        all.add("chunked");
      }
    } else if ((bodyLength > 0 || expectsBody(method)) && field("Content-Length") == null) {
      all.add("Content-Length");
      all.add(Long.toString(bodyLength));
    }
    if (keepAliveDisabled && !fieldHasToken("Connection", "close")) {
      all.add("Connection");
      all.add("close");
    }
    if (field("Host") != null) {
      return Http1RequestWriter.encodeHead(method, requestTarget, all);
    }
    // Host first, as RFC 9112 §3.2 recommends; written from its parts (see Origin#hostHeader)
    boolean defaultPort = origin.port() == (origin.secure() ? 443 : 80);
    return Http1RequestWriter.encodeHead(method, requestTarget, origin.hostForUri(),
        defaultPort ? -1 : origin.port(), all);
  }

  private static boolean expectsBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** Methods that may be sent again after a failure before any response byte (RFC 9110 §9.2.2). */
  boolean idempotent() {
    switch (method.toUpperCase(Locale.ROOT)) {
      case "GET": case "HEAD": case "OPTIONS": case "TRACE": case "PUT": case "DELETE":
        return true;
      default:
        return false;
    }
  }

  /** This message with {@code extra} fields (name, value pairs) appended, for one attempt. */
  RequestMessage withFields(List<String> extra) {
    List<String> all = new ArrayList<>(fields.size() + extra.size());
    all.addAll(fields);
    all.addAll(extra);
    return new RequestMessage(method, target, origin, all);
  }

  /** The same request sent elsewhere, with another method, optionally without body fields. */
  RequestMessage redirected(String newMethod, Origin newOrigin, String newTarget, boolean dropBody) {
    boolean crossOrigin = !newOrigin.sameSiteAs(origin);
    List<String> kept = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i += 2) {
      String name = fields.get(i);
      boolean credential = name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Cookie")
          || name.equalsIgnoreCase("Proxy-Authorization");
      boolean bodyField = name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Content-Type")
          || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Content-Encoding")
          || name.equalsIgnoreCase("Expect");
      boolean host = name.equalsIgnoreCase("Host") && crossOrigin;
      if ((crossOrigin && credential) || (dropBody && bodyField) || host) {
        continue;
      }
      kept.add(name);
      kept.add(fields.get(i + 1));
    }
    return new RequestMessage(newMethod, newTarget, newOrigin, kept);
  }
}
