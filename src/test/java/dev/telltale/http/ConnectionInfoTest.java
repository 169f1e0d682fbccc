package dev.telltale.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ConnectionInfo;
import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request.connectionInfo(): which connection served a request, and whether it was reused. */
@ExtendWith(LeakCheck.class)
class ConnectionInfoTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private static ConnectionInfo fetch(Connect connect) throws Exception {
    Request request = connect.openRequest("GET", "/");
    assertTrue(request.connectionInfo().isEmpty(), "no connection before sendRequest");
    request.sendRequest().get(20, TimeUnit.SECONDS);
    ConnectionInfo during = request.connectionInfo().orElseThrow();
    request.receiveResponse().get(20, TimeUnit.SECONDS);
    ByteBuffer buffer = ByteBuffer.allocate(64);
    while (request.readData(buffer.clear()).get(20, TimeUnit.SECONDS) > 0) {
      // to the end
    }
    assertEquals(during, request.connectionInfo().orElseThrow(), "still known after the body");
    request.close();
    return during;
  }

  @Test
  void requestsOnOnePooledConnectionShareItsIdAndTheSecondIsReused() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a").build());
    server.enqueue(new MockResponse.Builder().body("b").build());
    server.enqueue(new MockResponse.Builder().body("c").addHeader("Connection", "close").build());
    server.enqueue(new MockResponse.Builder().body("d").build());
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      ConnectionInfo first = fetch(connect);
      ConnectionInfo second = fetch(connect);
      ConnectionInfo third = fetch(connect); // the server closes this one
      ConnectionInfo fourth = fetch(connect);
      connect.close();

      assertFalse(first.reused());
      assertTrue(second.reused());
      assertEquals(first.connectionId(), second.connectionId());
      assertEquals(first.localAddress(), second.localAddress());
      assertEquals(server.getPort(), first.remoteAddress().getPort());
      assertEquals("127.0.0.1", first.remoteAddress().getAddress().getHostAddress());
      assertNull(first.tlsProtocol());
      assertEquals(first.connectionId(), third.connectionId());
      assertFalse(fourth.reused());
      assertNotEquals(first.connectionId(), fourth.connectionId(), "a new connection has a new id");
      assertNotEquals(first.localAddress(), fourth.localAddress());
    }
  }
}
