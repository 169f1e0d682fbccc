package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rule 12 with several addresses, and rule 18: an upgraded connection never returns to the pool. */
@ExtendWith(LeakCheck.class)
class ConnectionSetupTest {
  private static final String OK_2 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  @Test
  void rule12_eachResolvedAddressIsTriedInTurnWithOneConnectingToServerPerAttempt() throws Exception {
    try (ScriptedServer raw = new ScriptedServer(peer -> {
          peer.readRequest();
          peer.write(OK_2);
          peer.readToEof();
        });
        Fixture fx = new Fixture(Session.builder().resolver(host -> List.of(
            InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2}), // nothing listens there
            InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}))))) {
      Connect connect = fx.session.connect("service.test", raw.port());
      Request request = connect.openRequest("GET", "/");
      await(request.sendRequest());
      assertEquals(200, await(request.receiveResponse()).statusCode());
      assertEquals("ok", Fixture.readAll(request, 64));
      request.close();
      connect.close();
      fx.session.close();
      fx.rec.awaitClosing(fx.session);
      fx.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME service.test
          request NAME_RESOLVED service.test
          request CONNECTING_TO_SERVER 127.0.0.2
          request CONNECTING_TO_SERVER 127.0.0.1
          request CONNECTED_TO_SERVER 127.0.0.1
          request SENDING_REQUEST
          request REQUEST_SENT
          request SENDREQUEST_COMPLETE
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 2
          request READ_COMPLETE 0
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
    }
  }

  @Test
  void rule18_aConnectionUpgradedBy101NeverReturnsToThePool() throws Exception {
    try (ScriptedServer raw = new ScriptedServer(
            peer -> {
              peer.readRequest();
              peer.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\n\r\n");
              peer.readToEof();
            },
            peer -> {
              peer.readRequest();
              peer.write(OK_2);
              peer.readToEof();
            });
        Fixture fx = new Fixture()) {
      Connect connect = fx.connect(raw.port());
      Request upgrade = fx.open(connect, "GET", "/ws");
      upgrade.addHeader("Upgrade", "websocket");
      upgrade.addHeader("Connection", "Upgrade");
      await(upgrade.sendRequest());
      assertEquals(101, await(upgrade.receiveResponse()).statusCode());
      assertEquals(0, await(upgrade.queryDataAvailable()));
      fx.closeAndAwait(upgrade);

      Request next = fx.open(connect, "GET", "/next");
      await(next.sendRequest());
      assertEquals(200, await(next.receiveResponse()).statusCode());
      fx.closeAllAndAwait();
      assertEquals(List.of("CONNECTING_TO_SERVER 127.0.0.1"), fx.linesOf("request2").stream()
          .filter(l -> l.startsWith("CONNECTING_TO_SERVER")).toList());
      assertEquals(2, raw.connectionCount());
    }
  }
}
