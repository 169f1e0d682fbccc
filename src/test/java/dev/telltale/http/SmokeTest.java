package dev.telltale.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class SmokeTest {
  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void getOnAFreshConnection() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/hello");
    request.sendRequest().get(10, TimeUnit.SECONDS);
    ResponseHeaders headers = request.receiveResponse().get(10, TimeUnit.SECONDS);
    assertEquals(200, headers.statusCode());
    ByteBuffer buf = ByteBuffer.allocate(100);
    int n = request.readData(buf).get(10, TimeUnit.SECONDS);
    assertEquals(5, n);
    assertEquals("hello", new String(buf.array(), 0, 5, StandardCharsets.US_ASCII));
    assertEquals(0, request.readData(buf).get(10, TimeUnit.SECONDS));
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request RESOLVING_NAME 127.0.0.1
        request NAME_RESOLVED 127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER 127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE 5
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }
}
