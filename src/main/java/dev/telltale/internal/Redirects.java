package dev.telltale.internal;

import dev.telltale.RedirectPolicy;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Whether and where to follow a redirect (RFC 9110 §15.4), as a pure decision: the exchange acts
 * on the result. Kept apart so each rule is tested without sockets.
 */
final class Redirects {
  private Redirects() {}

  /** What to do with a 3xx response. */
  sealed interface Decision permits Deliver, Follow, Refuse {}

  /** Not a redirect to follow: hand the response to the application. */
  record Deliver() implements Decision {
    /** The one instance: the decision for nearly every response. */
    static final Deliver INSTANCE = new Deliver();
  }

  /** Follow to {@code location} with {@code method}; {@code dropBody} if the method changed to GET. */
  record Follow(URI location, Origin origin, String target, String method, boolean dropBody)
      implements Decision {}

  /** A redirect that must fail with REDIRECT_FAILED, for {@code reason}. */
  record Refuse(String reason) implements Decision {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Decides for response {@code status} with {@code location} (null if absent) to a request
   * {@code message}; {@code followed} redirects so far; {@code bodyReplayable} whether the request
   * body can be sent again (it was not streamed with writeData).
   */
  static Decision decide(RequestMessage message, int status, String location, RedirectPolicy policy,
      int followed, int max, boolean hasBody, boolean bodyReplayable) {
    if (!isRedirect(status) || location == null || policy == RedirectPolicy.NEVER) {
      return Deliver.INSTANCE;
    }
    URI base;
    URI resolved;
    try {
      base = new URI(message.origin.secure() ? "https" : "http", null, message.origin.host(),
          message.origin.port(), "/", null, null).resolve(message.target);
      resolved = base.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return new Refuse("invalid Location in a " + status + " response");
    }
    String scheme = resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Refuse("redirect to an unsupported scheme: " + scheme);
    }
    if (resolved.getHost() == null) {
      return new Refuse("redirect Location has no host");
    }
    if (followed >= max) {
      return new Refuse("more than " + max + " automatic redirects");
    }
    boolean secure = scheme.equals("https");
    if (message.origin.secure() && !secure && policy == RedirectPolicy.DISALLOW_HTTPS_TO_HTTP) {
      return new Refuse("redirect from https to http is disallowed by the redirect policy");
    }
    String method = message.method;
    boolean toGet = (status == 303 && !method.equals("HEAD"))
        || ((status == 301 || status == 302) && method.equals("POST"));
    if (!toGet && hasBody && !bodyReplayable) {
      return Deliver.INSTANCE; // 307/308 keep the body, and a streamed body cannot be sent twice
    }
    int port = resolved.getPort() == -1 ? (secure ? 443 : 80) : resolved.getPort();
    String host = resolved.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
    String target = resolved.getRawQuery() == null ? path : path + "?" + resolved.getRawQuery();
    return new Follow(resolved,
        new Origin(secure, host, port), target, toGet ? "GET" : method, toGet);
  }
}
