package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ConnectionInfo;
import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pool safety when SECURE_PROTOCOLS narrows, and the builder refusing two trust sources. */
@ExtendWith(LeakCheck.class)
class ReviewFixesTlsTest {
  private static ConnectionInfo fetch(TlsFixture fx, Connect connect) throws Exception {
    Request request = fx.secure(connect, "GET", "/");
    await(request.sendRequest());
    ConnectionInfo info = request.connectionInfo().orElseThrow();
    await(request.receiveResponse());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    while (await(request.readData(buffer.clear())) > 0) {
      // to the end
    }
    fx.closeAndAwait(request);
    return info;
  }

  @Test
  void narrowingSecureProtocolsNeverReusesAConnectionNegotiatedBefore() throws Exception {
    try (TlsFixture fx = new TlsFixture()) {
      MockWebServer server = fx.https(Certificates.goodServer());
      server.enqueue(new MockResponse.Builder().body("a").build());
      server.enqueue(new MockResponse.Builder().body("b").build());
      server.enqueue(new MockResponse.Builder().body("c").build());
      Connect connect = fx.connect(server.getPort());
      ConnectionInfo first = fetch(fx, connect);
      assertEquals("TLSv1.3", first.tlsProtocol());

      fx.session.setOption(Option.SECURE_PROTOCOLS, Set.of("TLSv1.2"));
      ConnectionInfo second = fetch(fx, connect);
      assertFalse(second.reused(), "a TLSv1.3 connection must not serve a TLSv1.2-only request");
      assertEquals("TLSv1.2", second.tlsProtocol());

      ConnectionInfo third = fetch(fx, connect);
      assertTrue(third.reused(), "same settings again: the pooled TLSv1.2 connection serves it");
      assertEquals(second.connectionId(), third.connectionId());
      fx.closeAllAndAwait();
    }
  }

  @Test
  void aSessionGivenBothAnSslContextAndATrustManagerIsRefused() throws Exception {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
        Session.builder().sslContext(Certificates.clientTrust().sslContext())
            .trustManager(Certificates.clientTrust().trustManager()).build());
    assertTrue(refused.getMessage().contains("not both"), refused.getMessage());
  }
}
