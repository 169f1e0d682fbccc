package dev.telltale.internal.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  /** RFC 6455 §1.3's sample nonce and the accept value it gives. */
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  @Test
  void rfc6455SampleAccept() {
    assertEquals(ACCEPT, Handshake.expectedAccept(KEY));
  }

  @Test
  void newKeyIsBase64OfSixteenRandomBytes() {
    SecureRandom random = new SecureRandom();
    String a = Handshake.newKey(random);
    String b = Handshake.newKey(random);
    assertEquals(24, a.length());
    assertEquals(16, Base64.getDecoder().decode(a).length);
    assertNotEquals(a, b);
  }

  @Test
  void newKeyUsesTheGivenRandomSource() {
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            new Random(1).nextBytes(bytes);
          }
        };
    assertEquals(Handshake.newKey(fixed), Handshake.newKey(fixed));
  }

  @Test
  void acceptsAConformingResponse() {
    assertNull(Handshake.verify(KEY, "websocket", "Upgrade", ACCEPT));
    assertNull(Handshake.verify(KEY, " WebSocket ", "keep-alive, UPGRADE", " " + ACCEPT + " "));
  }

  @Test
  void namesEachProblem() {
    assertEquals(
        "the 101 response has no Upgrade header", Handshake.verify(KEY, null, "Upgrade", ACCEPT));
    assertEquals(
        "the 101 response's Upgrade header is \"h2c\", not \"websocket\"",
        Handshake.verify(KEY, "h2c", "Upgrade", ACCEPT));
    assertEquals(
        "the 101 response has no Connection header",
        Handshake.verify(KEY, "websocket", null, ACCEPT));
    assertEquals(
        "the 101 response's Connection header \"keep-alive, upgraded\" lacks \"Upgrade\"",
        Handshake.verify(KEY, "websocket", "keep-alive, upgraded", ACCEPT));
    assertEquals(
        "the 101 response has no Sec-WebSocket-Accept header",
        Handshake.verify(KEY, "websocket", "Upgrade", null));
    assertEquals(
        "the 101 response's Sec-WebSocket-Accept \"" + ACCEPT.toLowerCase() + "\" does not match"
            + " the key",
        Handshake.verify(KEY, "websocket", "Upgrade", ACCEPT.toLowerCase()));
    assertEquals(
        "the 101 response's Sec-WebSocket-Accept \"" + ACCEPT + "\" does not match the key",
        Handshake.verify("AQIDBAUGBwgJCgsMDQ4PEA==", "websocket", "Upgrade", ACCEPT));
  }
}
