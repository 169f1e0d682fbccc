package dev.telltale.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * RFC 7616 Digest responses for one challenge: algorithms MD5, SHA-256 and SHA-512-256, each also
 * in its {@code -sess} variant; {@code qop=auth} (or the RFC 2069 form when the server offers no
 * qop); {@code userhash}; the nonce count the caller keeps. {@code qop=auth-int} alone is not
 * supported: it would need the whole request body hashed before sending.
 *
 * <p>Pure: the cnonce is a parameter, so the RFC's §3.9.1 example can be reproduced exactly.
 */
public final class DigestAuth {
  private final Challenge challenge;
  private final String algorithm;
  private final String jdkAlgorithm;
  private final boolean session;
  private final boolean qopAuth;

  private DigestAuth(Challenge challenge, String algorithm, String jdkAlgorithm, boolean session,
      boolean qopAuth) {
    this.challenge = challenge;
    this.algorithm = algorithm;
    this.jdkAlgorithm = jdkAlgorithm;
    this.session = session;
    this.qopAuth = qopAuth;
  }

  /**
   * The responder for {@code challenge}, or null if telltale cannot answer it (unknown algorithm,
   * only {@code auth-int}, no realm or nonce).
   */
  public static DigestAuth forChallenge(Challenge challenge) {
    if (!challenge.is("Digest") || challenge.param("realm") == null || challenge.param("nonce") == null) {
      return null;
    }
    String algorithm = challenge.param("algorithm") == null ? "MD5" : challenge.param("algorithm");
    String upper = algorithm.toUpperCase(Locale.ROOT);
    boolean session = upper.endsWith("-SESS");
    String base = session ? upper.substring(0, upper.length() - 5) : upper;
    String jdk = switch (base) {
      case "MD5" -> "MD5";
      case "SHA-256" -> "SHA-256";
      case "SHA-512-256" -> "SHA-512/256";
      default -> null;
    };
    if (jdk == null) {
      return null;
    }
    String qop = challenge.param("qop");
    boolean auth = false;
    if (qop != null) {
      for (String option : qop.split(",")) {
        auth |= option.trim().equalsIgnoreCase("auth");
      }
      if (!auth) {
        return null; // auth-int only
      }
    }
    return new DigestAuth(challenge, algorithm, jdk, session, auth);
  }

  /** The challenge's nonce, which the caller counts requests against. */
  public String nonce() {
    return challenge.param("nonce");
  }

  /** Whether the server said the previous nonce was stale (RFC 7616 §3.3): a retry is due. */
  public boolean stale() {
    return "true".equalsIgnoreCase(challenge.param("stale"));
  }

  /**
   * The {@code Authorization} field value for {@code method} on {@code uri} (the request target as
   * sent), with nonce count {@code nc} (1 for the first use of the nonce) and client nonce
   * {@code cnonce}.
   */
  public String authorization(String user, String password, String method, String uri, int nc,
      String cnonce) {
    String realm = challenge.param("realm");
    String nonce = nonce();
    String ncValue = String.format(Locale.ROOT, "%08x", nc);
    String ha1 = hash(user + ":" + realm + ":" + password);
    if (session) {
      ha1 = hash(ha1 + ":" + nonce + ":" + cnonce);
    }
    String ha2 = hash(method + ":" + uri);
    String response = qopAuth
        ? hash(ha1 + ":" + nonce + ":" + ncValue + ":" + cnonce + ":auth:" + ha2)
        : hash(ha1 + ":" + nonce + ":" + ha2);
    boolean userhash = "true".equalsIgnoreCase(challenge.param("userhash"));
    StringBuilder out = new StringBuilder("Digest ");
    if (userhash) {
      out.append("username=").append(quote(hash(user + ":" + realm)));
    } else if (isPlainAscii(user)) {
      out.append("username=").append(quote(user));
    } else {
      out.append("username*=UTF-8''").append(percentEncode(user)); // RFC 7616 §3.4.4
    }
    out.append(", realm=").append(quote(realm));
    out.append(", uri=").append(quote(uri));
    out.append(", algorithm=").append(algorithm);
    out.append(", nonce=").append(quote(nonce));
    if (qopAuth) {
      out.append(", nc=").append(ncValue);
      out.append(", cnonce=").append(quote(cnonce));
      out.append(", qop=auth");
    }
    out.append(", response=").append(quote(response));
    if (challenge.param("opaque") != null) {
      out.append(", opaque=").append(quote(challenge.param("opaque")));
    }
    if (userhash) {
      out.append(", userhash=true");
    }
    return out.toString();
  }

  private String hash(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance(jdkAlgorithm);
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jdkAlgorithm, e); // all three are required
    }
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** RFC 8187 ext-value encoding of {@code s}. */
  private static String percentEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }
}
