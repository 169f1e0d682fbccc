package dev.telltale.internal.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The client's half of the WebSocket opening handshake (RFC 6455 §4.1): making the
 * {@code Sec-WebSocket-Key} and checking the server's 101 response headers.
 */
public final class Handshake {
  /** The fixed GUID RFC 6455 §1.3 appends to the key before hashing. */
  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private Handshake() {}

  /** A fresh {@code Sec-WebSocket-Key}: base64 of 16 random bytes (RFC 6455 §4.1 item 7). */
  public static String newKey(SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The {@code Sec-WebSocket-Accept} value a server must answer {@code key} with. */
  public static String expectedAccept(String key) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-1 (MessageDigest's documented required algorithms).
      throw new IllegalStateException("SHA-1 is not available", e);
    }
    byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(digest);
  }

  /**
   * Checks the headers of a 101 response to a handshake sent with {@code key} (RFC 6455 §4.1, the
   * client's checks 2-4). Header values may be null when absent.
   *
   * @return null when the response completes the handshake, else a message naming the problem
   */
  public static String verify(String key, String upgrade, String connection, String accept) {
    if (upgrade == null) {
      return "the 101 response has no Upgrade header";
    }
    if (!upgrade.trim().equalsIgnoreCase("websocket")) {
      return "the 101 response's Upgrade header is \"" + upgrade + "\", not \"websocket\"";
    }
    if (connection == null) {
      return "the 101 response has no Connection header";
    }
    if (!hasToken(connection, "upgrade")) {
      return "the 101 response's Connection header \"" + connection + "\" lacks \"Upgrade\"";
    }
    if (accept == null) {
      return "the 101 response has no Sec-WebSocket-Accept header";
    }
    // The accept value is base64, which is case-sensitive: compare exactly (after trimming OWS).
    if (!accept.trim().equals(expectedAccept(key))) {
      return "the 101 response's Sec-WebSocket-Accept \"" + accept + "\" does not match the key";
    }
    return null;
  }

  /** Whether the comma-separated list {@code value} contains {@code token}, ignoring case. */
  private static boolean hasToken(String value, String token) {
    for (String part : value.split(",")) {
      if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }
}
