package dev.telltale.internal.auth;

import dev.telltale.AuthScheme;
import dev.telltale.AuthSchemes;
import dev.telltale.AuthTarget;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One request handle's credentials and what it learned from challenges: which fields to add to
 * each attempt, and whether a 401 or 407 deserves one automatic retry. Used on the request's loop
 * only; it never sees sockets, so every rule is tested without a server.
 *
 * <p>The rules: Basic credentials for the server go out pre-emptively (WinHTTP does the same);
 * Digest goes out once a challenge gave a nonce, counting uses of the nonce; proxy credentials go
 * only to a proxy. A challenge is answered at most once per send and target, and not at all when
 * the same Basic credentials were just refused. Server credentials go only to the origin they were
 * meant for: the caller says whether the attempt's origin is that one.
 */
public final class Authenticator {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Credentials for one target. */
  public record Credentials(AuthScheme scheme, String user, String password) {}

  private final Supplier<String> cnonces;
  private final Credentials[] credentials = new Credentials[2];
  private final DigestAuth[] digests = new DigestAuth[2];
  private final int[] nonceCounts = new int[2];
  private final boolean[] challenged = new boolean[2];
  private final boolean[] answered = new boolean[2];
  private final boolean[] sentLast = new boolean[2];
  /**
   * The last challenge of each target's latest 401/407, answered or not: a WinHTTP application
   * reads the 401, calls setCredentials and sends again, and that send answers the challenge the
   * application saw (Digest needs its nonce) instead of drawing a second 401.
   */
  private final DigestAuth[] offeredDigest = new DigestAuth[2];
  private final boolean[] offeredBasic = new boolean[2];
  /** A {@code stale=true} Digest challenge was answered in this send (at most one is). */
  private final boolean[] staleAnswered = new boolean[2];

  /** An authenticator drawing client nonces from a {@link SecureRandom}. */
  public Authenticator() {
    this(Authenticator::randomCnonce);
  }

  /** An authenticator with the given client nonces (tests reproduce RFC 7616's examples). */
  public Authenticator(Supplier<String> cnonces) {
    this.cnonces = cnonces;
  }

  private static String randomCnonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The Basic credentials set for {@code AuthTarget.PROXY}, or null: they also authenticate CONNECT
   * and SOCKS5 tunnels, so a WinHTTP-style "407, setCredentials(PROXY), send again" works for
   * https through a proxy too.
   */
  public Credentials proxyBasic() {
    Credentials c = credentials[AuthTarget.PROXY.ordinal()];
    return c != null && c.scheme() == AuthScheme.BASIC ? c : null;
  }

  /** {@code Request.setCredentials}; replaces earlier credentials for {@code target}. */
  public void setCredentials(AuthTarget target, AuthScheme scheme, String user, String password) {
    int t = target.ordinal();
    credentials[t] = new Credentials(scheme, user, password);
    // The server's last challenge, not anything learned with earlier credentials, decides what
    // the next send carries.
    digests[t] = scheme == AuthScheme.DIGEST ? offeredDigest[t] : null;
    nonceCounts[t] = 0;
    challenged[t] = scheme == AuthScheme.BASIC && offeredBasic[t];
  }

  /** A new sendRequest: each target may be answered once again. */
  public void beginSend() {
    answered[0] = answered[1] = false;
    staleAnswered[0] = staleAnswered[1] = false;
  }

  /**
   * The fields for one attempt (name, value pairs appended to {@code out}) of {@code method} on
   * {@code target}. {@code toCredentialOrigin}: the attempt goes to the origin the server
   * credentials were set for; {@code viaProxy}: it goes through a proxy that may see proxy
   * credentials.
   */
  public void addFields(String method, String target, boolean toCredentialOrigin, boolean viaProxy,
      List<String> out) {
    sentLast[0] = toCredentialOrigin && add(AuthTarget.SERVER, "Authorization", method, target, out);
    sentLast[1] = viaProxy && add(AuthTarget.PROXY, "Proxy-Authorization", method, target, out);
  }

  private boolean add(AuthTarget target, String field, String method, String requestTarget,
      List<String> out) {
    int t = target.ordinal();
    Credentials c = credentials[t];
    if (c == null) {
      return false;
    }
    String value = null;
    if (c.scheme == AuthScheme.BASIC && (target == AuthTarget.SERVER || challenged[t])) {
      value = BasicAuth.authorization(c.user, c.password);
    } else if (c.scheme == AuthScheme.DIGEST && digests[t] != null) {
      value = digests[t].authorization(c.user, c.password, method, requestTarget, ++nonceCounts[t],
          cnonces.get());
    }
    if (value == null) {
      return false;
    }
    out.add(field);
    out.add(value);
    return true;
  }

  /**
   * A 401 or 407 arrived with {@code challengeValues} (its WWW-Authenticate or Proxy-Authenticate
   * values): whether to send the request again with credentials. {@code toCredentialOrigin} and
   * {@code viaProxy} as in {@link #addFields} (a 407 from anything but a proxy is not answered:
   * proxy credentials would go to the server); {@code replayable}: the request body can be sent
   * a second time.
   */
  public boolean shouldRetry(int status, List<String> challengeValues, boolean toCredentialOrigin,
      boolean viaProxy, boolean replayable) {
    AuthTarget target = status == 401 ? AuthTarget.SERVER : status == 407 ? AuthTarget.PROXY : null;
    if (target == null || (target == AuthTarget.SERVER && !toCredentialOrigin)
        || (target == AuthTarget.PROXY && !viaProxy)) {
      return false;
    }
    int t = target.ordinal();
    remember(t, challengeValues);
    Credentials c = credentials[t];
    if (c == null || !replayable) {
      return false;
    }
    if (answered[t]) {
      return staleRetry(t, c, challengeValues);
    }
    for (Challenge challenge : ChallengeParser.parse(challengeValues)) {
      if (c.scheme == AuthScheme.BASIC && challenge.is("Basic")) {
        if (sentLast[t]) {
          return false; // these very credentials were just refused
        }
        return accept(t, null);
      }
      if (c.scheme == AuthScheme.DIGEST && challenge.is("Digest")) {
        DigestAuth digest = DigestAuth.forChallenge(challenge);
        if (digest != null && sentLast[t] && !digest.stale()) {
          return false; // a Digest answer was just refused, and not for an expired nonce
        }
        if (digest != null) {
          return accept(t, digest);
        }
      }
    }
    return false;
  }

  private void remember(int t, List<String> challengeValues) {
    offeredBasic[t] = false;
    offeredDigest[t] = null;
    for (Challenge challenge : ChallengeParser.parse(challengeValues)) {
      if (challenge.is("Basic")) {
        offeredBasic[t] = true;
      } else if (offeredDigest[t] == null && challenge.is("Digest")) {
        offeredDigest[t] = DigestAuth.forChallenge(challenge);
      }
    }
  }

  /**
   * After the one answer of this send: a Digest response that was just sent and refused with
   * {@code stale=true} and a new nonce (RFC 7616 §3.3: the credentials were right, the nonce had
   * expired, as it does on servers with short-lived nonces after a redirect) is answered once
   * more with the fresh nonce. Once per send, so a server that is always stale ends the loop.
   */
  private boolean staleRetry(int t, Credentials c, List<String> challengeValues) {
    if (c.scheme != AuthScheme.DIGEST || staleAnswered[t] || !sentLast[t] || digests[t] == null) {
      return false;
    }
    for (Challenge challenge : ChallengeParser.parse(challengeValues)) {
      DigestAuth digest = DigestAuth.forChallenge(challenge);
      if (digest != null && digest.stale() && !digest.nonce().equals(digests[t].nonce())) {
        staleAnswered[t] = true;
        return accept(t, digest);
      }
    }
    return false;
  }

  private boolean accept(int t, DigestAuth digest) {
    answered[t] = true;
    challenged[t] = true;
    if (digest != null) {
      digests[t] = digest;
      nonceCounts[t] = 0;
    }
    return true;
  }

  /**
   * {@code WinHttpQueryAuthSchemes} for a response with {@code status} and the values of its
   * challenge field; null if the status is not 401 or 407 or no known scheme is offered.
   */
  public static AuthSchemes schemesOf(int status, List<String> challengeValues) {
    AuthTarget target = status == 401 ? AuthTarget.SERVER : status == 407 ? AuthTarget.PROXY : null;
    if (target == null) {
      return null;
    }
    Set<AuthScheme> offered = EnumSet.noneOf(AuthScheme.class);
    AuthScheme first = null;
    for (Challenge challenge : ChallengeParser.parse(challengeValues)) {
      AuthScheme scheme = AuthScheme.fromToken(challenge.scheme());
      if (scheme != null) {
        offered.add(scheme);
        first = first == null ? scheme : first;
      }
    }
    return first == null ? null : new AuthSchemes(offered, first, target);
  }

  /** The field holding challenges for {@code status}: WWW-Authenticate or Proxy-Authenticate. */
  public static String challengeField(int status) {
    return status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
  }
}
