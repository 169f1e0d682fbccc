package dev.telltale.internal.proxy;

import dev.telltale.internal.http1.Http1RequestWriter;
import dev.telltale.internal.http1.ResponseHead;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP {@code CONNECT} that opens a tunnel through an HTTP proxy (RFC 9110 §9.3.6), and the
 * reading of the proxy's answer; the answer's head is parsed by the ordinary response parser.
 */
public final class ConnectRequest {
  private ConnectRequest() {}

  /**
   * {@code CONNECT host:port HTTP/1.1} with Host, the user agent and, when given,
   * {@code Proxy-Authorization}.
   */
  public static ByteBuffer encode(String hostForUri, int port, String userAgent, String proxyAuthorization) {
    String authority = hostForUri + ":" + port;
    List<String> fields = new ArrayList<>(6);
    fields.add("Host");
    fields.add(authority);
    if (userAgent != null && !userAgent.isEmpty()) {
      fields.add("User-Agent");
      fields.add(userAgent);
    }
    if (proxyAuthorization != null) {
      fields.add("Proxy-Authorization");
      fields.add(proxyAuthorization);
    }
    return Http1RequestWriter.encodeHead("CONNECT", authority, fields);
  }

  /** Whether the proxy's answer opened the tunnel (any 2xx). */
  public static boolean opened(ResponseHead head) {
    return head.statusCode() / 100 == 2;
  }

  /** Whether a 407 offers the Basic scheme in one of its Proxy-Authenticate fields. */
  public static boolean offersBasic(ResponseHead head) {
    if (head.statusCode() != 407) {
      return false;
    }
    for (String challenge : head.values("Proxy-Authenticate")) {
      for (String part : challenge.split(",")) {
        String scheme = part.trim();
        int space = scheme.indexOf(' ');
        if ((space < 0 ? scheme : scheme.substring(0, space)).equalsIgnoreCase("Basic")) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code 403 Forbidden}: the status line's code and reason, for messages. */
  public static String status(ResponseHead head) {
    return head.statusCode() + (head.reasonPhrase().isEmpty() ? "" : " " + head.reasonPhrase());
  }
}
