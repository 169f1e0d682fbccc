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

  /** What to do with the proxy's final answer to a {@code CONNECT}. */
  public enum Verdict {
    /** A 2xx: the tunnel is open. */
    OPEN,
    /** A 407 offering Basic, credentials known but not sent: dial again and send them. */
    SEND_CREDENTIALS,
    /**
     * A 407 the tunnel cannot answer (no credentials, credentials refused, or no Basic challenge):
     * the request receives it as its response, as WinHTTP hands it to the application, which may
     * set proxy credentials and send again.
     */
    DELIVER,
    /** A 401 to credentials sent: how tinyproxy, among others, rejects them. */
    LOGIN_FAILURE,
    /** Any other status: the proxy will not open this tunnel. */
    REFUSED
  }

  /**
   * The verdict on a final (non-interim) answer to {@code CONNECT}: {@code credentialsKnown}, the
   * hop has credentials; {@code credentialsSent}, this {@code CONNECT} carried them.
   */
  public static Verdict verdict(ResponseHead head, boolean credentialsKnown, boolean credentialsSent) {
    int status = head.statusCode();
    if (opened(head)) {
      return Verdict.OPEN;
    }
    if (status == 407) {
      return credentialsKnown && !credentialsSent && offersBasic(head) ? Verdict.SEND_CREDENTIALS
          : Verdict.DELIVER;
    }
    return status == 401 && credentialsSent ? Verdict.LOGIN_FAILURE : Verdict.REFUSED;
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
