package dev.telltale.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SOCKS5 client codec, bytes in and bytes out, against RFC 1928 and RFC 1929. */
class Socks5HandshakeTest {
  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static ByteBuffer in(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteBuffer.wrap(b);
  }

  private static final byte[] SUCCESS_IPV4 = {5, 0, 0, 1, 10, 0, 0, 1, 0x1F, (byte) 0x90};

  @Test
  void withoutCredentialsItOffersNoAuthAndConnectsByDomainName() throws Exception {
    Socks5Handshake h = new Socks5Handshake("origin.test", 443, null, null);
    assertArrayEquals(new byte[] {5, 1, 0}, bytes(h.start()));
    Socks5Handshake.Step step = h.onBytes(in(5, 0));
    byte[] expected = ByteBuffer.allocate(4 + 1 + 11 + 2).put(new byte[] {5, 1, 0, 3, 11})
        .put("origin.test".getBytes(StandardCharsets.US_ASCII)).putShort((short) 443).array();
    assertArrayEquals(expected, bytes(step.send()));
    assertFalse(step.done());
    Socks5Handshake.Step done = h.onBytes(ByteBuffer.wrap(SUCCESS_IPV4));
    assertTrue(done.done());
  }

  @Test
  void withCredentialsItAlsoOffersUserPasswordAndSendsThemWhenChosen() throws Exception {
    Socks5Handshake h = new Socks5Handshake("127.0.0.1", 80, "bob", "pw");
    assertArrayEquals(new byte[] {5, 2, 0, 2}, bytes(h.start()));
    Socks5Handshake.Step auth = h.onBytes(in(5, 2));
    assertArrayEquals(new byte[] {1, 3, 'b', 'o', 'b', 2, 'p', 'w'}, bytes(auth.send()));
    Socks5Handshake.Step connect = h.onBytes(in(1, 0));
    assertArrayEquals(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 80}, bytes(connect.send()),
        "an IPv4 literal goes as address type 1");
    assertTrue(h.onBytes(ByteBuffer.wrap(SUCCESS_IPV4)).done());
  }

  @Test
  void anIpv6LiteralGoesAsAddressType4WithoutBrackets() throws Exception {
    Socks5Handshake h = new Socks5Handshake("[::1]", 8080, null, null);
    h.start();
    byte[] request = bytes(h.onBytes(in(5, 0)).send());
    assertEquals(4 + 16 + 2, request.length);
    assertEquals(4, request[3]);
    assertEquals(1, request[19]);
    assertEquals(8080, ((request[20] & 0xFF) << 8) | (request[21] & 0xFF));
  }

  @Test
  void partialRepliesWaitForMoreAndADomainBoundAddressIsConsumedExactly() throws Exception {
    Socks5Handshake h = new Socks5Handshake("origin.test", 80, null, null);
    h.start();
    ByteBuffer half = in(5);
    assertNull(h.onBytes(half).send());
    assertEquals(1, half.remaining(), "nothing consumed from an incomplete reply");
    h.onBytes(in(5, 0));
    ByteBuffer reply = in(5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 80, 'X');
    ByteBuffer firstPart = ByteBuffer.wrap(new byte[] {5, 0, 0, 3, 3, 'a'});
    assertFalse(h.onBytes(firstPart).done());
    assertEquals(0, firstPart.position(), "a partial reply is left in place");
    assertTrue(h.onBytes(reply).done());
    assertEquals(1, reply.remaining(), "bytes after the reply belong to the tunnel");
  }

  @Test
  void refusalsSayWhyAndWhetherAuthenticationWasTheProblem() {
    Socks5Handshake noCredentials = new Socks5Handshake("o.test", 80, null, null);
    noCredentials.start();
    Socks5Handshake.Refused none = assertThrows(Socks5Handshake.Refused.class,
        () -> noCredentials.onBytes(in(5, 0xFF)));
    assertTrue(none.authentication());
    assertTrue(none.getMessage().contains("requires authentication"), none.getMessage());

    Socks5Handshake wrong = new Socks5Handshake("o.test", 80, "bob", "pw");
    wrong.start();
    Socks5Handshake.Refused rejected = assertThrows(Socks5Handshake.Refused.class, () -> {
      wrong.onBytes(in(5, 2));
      wrong.onBytes(in(1, 1));
    });
    assertTrue(rejected.authentication());
    assertFalse(rejected.getMessage().contains("pw"), "never the password");

    Socks5Handshake refused = new Socks5Handshake("o.test", 80, null, null);
    refused.start();
    Socks5Handshake.Refused connect = assertThrows(Socks5Handshake.Refused.class, () -> {
      refused.onBytes(in(5, 0));
      refused.onBytes(in(5, 5, 0, 1, 0, 0, 0, 0, 0, 0));
    });
    assertFalse(connect.authentication());
    assertEquals("the SOCKS5 proxy refused CONNECT o.test:80: connection refused (5)", connect.getMessage());

    Socks5Handshake notSocks = new Socks5Handshake("o.test", 80, null, null);
    notSocks.start();
    Socks5Handshake.Refused http = assertThrows(Socks5Handshake.Refused.class,
        () -> notSocks.onBytes(ByteBuffer.wrap("HTTP/1.1 400".getBytes(StandardCharsets.US_ASCII))));
    assertTrue(http.getMessage().contains("does not speak SOCKS5"), http.getMessage());

    Socks5Handshake unoffered = new Socks5Handshake("o.test", 80, null, null);
    unoffered.start();
    assertThrows(Socks5Handshake.Refused.class, () -> unoffered.onBytes(in(5, 2)),
        "user/password was not offered without credentials");
  }

  @Test
  void aHostNameLongerThan255BytesIsRejectedUpFront() {
    assertThrows(IllegalArgumentException.class,
        () -> new Socks5Handshake("a".repeat(256), 80, null, null));
  }
}
