package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.Blackhole;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Happy Eyeballs through the public API (issue 4 item 5): the pluggable resolver returns a dead
 * address first. The request still succeeds, with one CONNECTING_TO_SERVER per attempt and one
 * CONNECTED_TO_SERVER for the winner; the leak check proves the losing socket was closed.
 */
@ExtendWith(LeakCheck.class)
class HappyEyeballsTest {
  private void raceAndExpect(List<InetAddress> addresses, MockWebServer server, String table) throws Exception {
    RecordingCallback rec = new RecordingCallback();
    try (Session session = Session.builder().resolver(host -> addresses).build()) {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("dual.test", server.getPort());
      Request request = connect.openRequest("GET", "/");
      await(request.sendRequest());
      assertEquals(200, await(request.receiveResponse()).statusCode());
      assertEquals(2, await(request.readData(ByteBuffer.allocate(64))));
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertNext(table);
    }
  }

  private static final String AFTER_CONNECT = """
      request SENDING_REQUEST
      request REQUEST_SENT
      request SENDREQUEST_COMPLETE
      request RECEIVING_RESPONSE
      request RESPONSE_RECEIVED
      request HEADERS_AVAILABLE
      request READ_COMPLETE 2
      request HANDLE_CLOSING
      connect HANDLE_CLOSING
      session HANDLE_CLOSING
      """;

  @Test
  void aHangingFirstAddressLosesToTheSecondStartedAfterTheStagger() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().body("ok").build());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      try (Blackhole hole = Blackhole.at(InetAddress.getByName("127.0.0.2"), server.getPort())) {
        raceAndExpect(List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")),
            server, """
            session HANDLE_CREATED connect
            request HANDLE_CREATED request
            request RESOLVING_NAME dual.test
            request NAME_RESOLVED dual.test
            request CONNECTING_TO_SERVER 127.0.0.2
            request CONNECTING_TO_SERVER 127.0.0.1
            request CONNECTED_TO_SERVER 127.0.0.1
            """ + AFTER_CONNECT);
      }
    }
  }

  @Test
  void aRefusingFirstAddressIsFollowedByTheNextAtOnce() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().body("ok").build());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      raceAndExpect(List.of(InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.1")),
          server, """
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME dual.test
          request NAME_RESOLVED dual.test
          request CONNECTING_TO_SERVER 127.0.0.3
          request CONNECTING_TO_SERVER 127.0.0.1
          request CONNECTED_TO_SERVER 127.0.0.1
          """ + AFTER_CONNECT);
    }
  }
}
