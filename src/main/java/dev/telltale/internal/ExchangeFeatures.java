package dev.telltale.internal;

import dev.telltale.Decompression;
import dev.telltale.Option;
import dev.telltale.internal.auth.Authenticator;
import dev.telltale.internal.codec.ContentDecoder;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.proxy.ProxyHop;
import java.net.CookieHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an {@link Exchange} adds around the bare protocol: credentials (and the one automatic
 * answer to a challenge), cookies, and content decoding. The exchange calls in at three points:
 * building each attempt's head, receiving each final head, and starting the body. Kept apart so
 * the exchange stays a state machine about bytes and the connection. Runs on the request's loop.
 */
final class ExchangeFeatures {
  private final HandleCore core;
  /**
   * The request's credentials, made on first use (setCredentials or a challenge): most requests
   * never authenticate, and each would otherwise pay for its state.
   */
  private Authenticator auth;
  /** Where server credentials may go: the origin of the first hop of the current send. */
  private Origin credentialOrigin;

  ExchangeFeatures(HandleCore core) {
    this.core = core;
  }

  /** A new sendRequest of {@code message}. */
  void beginSend(RequestMessage message) {
    credentialOrigin = message.origin;
    if (auth != null) {
      auth.beginSend();
    }
  }

  /** The request's authenticator, made now if it was not; {@code Request.setCredentials} reaches it through the loop. */
  Authenticator auth() {
    if (auth == null) {
      auth = new Authenticator();
    }
    return auth;
  }

  /**
   * {@code message} as it goes on the wire for this attempt over the connection whose pool key is
   * {@code route}: with credentials, cookies and {@code Accept-Encoding} added where the
   * application did not set them itself.
   */
  RequestMessage forWire(RequestMessage message, Origin route) {
    CookieHandler cookies = core.session().cookieHandler();
    Set<Decompression> codings = core.value(Option.DECOMPRESSION);
    if (auth == null && cookies == null && codings.isEmpty()) {
      return message; // the common case: nothing to add, nothing allocated
    }
    List<String> extra = new ArrayList<>(6);
    if (auth != null) {
      auth.addFields(message.method, message.wireTarget(route), message.field("Authorization") == null
          && toCredentialOrigin(message), viaProxy(route), extra);
    }
    if (cookies != null) {
      Cookies.addFields(cookies, message, extra);
    }
    if (!codings.isEmpty() && message.field("Accept-Encoding") == null) {
      extra.add("Accept-Encoding");
      extra.add(codings.size() == 2 ? "gzip, deflate" : codings.iterator().next().coding());
    }
    return extra.isEmpty() ? message : message.withFields(extra);
  }

  /**
   * A final response head for {@code message}: stores its cookies and says whether to send the
   * request again with credentials ({@code replayable}: the body can be sent twice).
   */
  boolean onFinalHead(RequestMessage message, Origin route, ResponseHead head, boolean replayable) {
    CookieHandler cookies = core.session().cookieHandler();
    if (cookies != null) {
      Cookies.store(cookies, message, head);
    }
    int status = head.statusCode();
    if (status != 401 && status != 407) {
      return false;
    }
    return auth().shouldRetry(status, head.values(Authenticator.challengeField(status)),
        message.field("Authorization") == null && toCredentialOrigin(message), viaProxy(route),
        replayable);
  }

  /**
   * Whether this attempt's head is read by an HTTP proxy, the only party that may see proxy
   * credentials: plain http without a tunnel. Through a CONNECT or SOCKS tunnel the head goes to
   * the origin, so {@code Request.setCredentials(PROXY, ...)} must not go there (the tunnel is
   * authenticated by {@code ProxySettings} credentials when it is opened), and a 407 from the
   * origin is delivered to the application.
   */
  private static boolean viaProxy(Origin route) {
    return route != null && route.absoluteForm();
  }

  /**
   * The proxy hop for an attempt: the settings' own credentials win; without them, Basic
   * credentials the request set for {@code AuthTarget.PROXY} (WinHTTP's way) open the tunnel or
   * go to the proxy with plain http.
   */
  ProxyHop credentialed(ProxyHop hop) {
    Authenticator.Credentials c = hop.hasCredentials() || auth == null ? null : auth.proxyBasic();
    return c == null ? hop : hop.withCredentials(c.user(), c.password());
  }

  private boolean toCredentialOrigin(RequestMessage message) {
    return credentialOrigin != null && credentialOrigin.sameSiteAs(message.origin);
  }

  /** The decoding pump for a response body, or null when it is delivered as received. */
  DecodingPump decoding(ResponseHead head, BodyDecoder framing) {
    Set<Decompression> codings = core.value(Option.DECOMPRESSION);
    // 206: a byte range of the encoded representation is not a coded stream of its own (a resumed
    // download would fail at its first byte); it reaches the application as received. An empty
    // body (Content-Length: 0) has nothing to decode: without a pump it completes with its
    // headers and frees the connection at once, as it does with decompression off
    if (codings.isEmpty() || framing == BodyDecoder.NONE || framing.isComplete()
        || head.statusCode() == 101 || head.statusCode() == 206) {
      return null;
    }
    ContentDecoder content = ContentDecoder.forFields(head.values("Content-Encoding"),
        codings.contains(Decompression.GZIP), codings.contains(Decompression.DEFLATE));
    return content == null ? null : new DecodingPump(content, core.value(Option.MAX_DECOMPRESSED_SIZE),
        core.value(Option.MAX_DECOMPRESSION_RATIO));
  }
}
