package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing a request whose TLS handshake is still waiting for the server ends the handshake and
 * closes the socket at once; without it the socket stayed open until CONNECT_TIMEOUT (60 s by
 * default) against a server that never answers the ClientHello.
 */
@ExtendWith(LeakCheck.class)
class HandshakeAbandonTest {
  private TlsFixture fx;
  private RawServer server;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void closingARequestDuringItsTlsHandshakeClosesTheConnectionAtOnce() throws Exception {
    CountDownLatch helloSeen = new CountDownLatch(1);
    CountDownLatch clientClosed = new CountDownLatch(1);
    server = RawServer.start(c -> {
      c.readBytes(5); // a TLS record header: the ClientHello arrived
      helloSeen.countDown();
      c.drainUntilClientCloses(); // and is never answered
      clientClosed.countDown();
    });
    fx = new TlsFixture();
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    CompletableFuture<Void> sent = request.sendRequest();
    assertTrue(helloSeen.await(20, TimeUnit.SECONDS), "the ClientHello reached the server");
    fx.closeAndAwait(request);
    assertEquals(ErrorCode.OPERATION_CANCELLED, awaitFailure(sent).code());
    assertTrue(clientClosed.await(10, TimeUnit.SECONDS),
        "the socket is closed with the request, not at the connect timeout");
  }
}
