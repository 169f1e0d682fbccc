package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.Timeouts;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Error paths the review found untested: writeData overrun, argument checks, limits, timeouts. */
@ExtendWith(LeakCheck.class)
class GapErrorsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private static final String CONNECTED_AND_SENT = """
      request RESOLVING_NAME 127.0.0.1
      request NAME_RESOLVED 127.0.0.1
      request CONNECTING_TO_SERVER 127.0.0.1
      request CONNECTED_TO_SERVER 127.0.0.1
      request SENDING_REQUEST
      request REQUEST_SENT
      request SENDREQUEST_COMPLETE
      """;

  private static final String CLOSINGS = """
      request HANDLE_CLOSING
      connect HANDLE_CLOSING
      session HANDLE_CLOSING
      """;

  /** A session with a recording callback on everything, and its connect and request. */
  private static final class Fixture implements AutoCloseable {
    final RecordingCallback rec = new RecordingCallback();
    final Session session;
    final Connect connect;
    final Request request;

    Fixture(Session session, int port, String method) {
      this.session = session;
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      this.connect = session.connect("127.0.0.1", port);
      this.request = connect.openRequest(method, "/");
    }

    Fixture(int port) {
      this(Session.open(), port, "GET");
    }

    /** Closes request, connect and session and waits for the session's HANDLE_CLOSING. */
    void closeAll() {
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
    }

    @Override
    public void close() {
      request.close();
      connect.close();
      session.close();
    }
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  // ------------------------------------------------------------------------------ writeData

  @Test
  void writeDataBeyondTheAnnouncedTotalIsInvalidParameterAndTheCorrectRemainderStillSucceeds()
      throws Exception {
    server.enqueue(new MockResponse.Builder().body("done").build());
    try (Fixture f = new Fixture(Session.open(), server.getPort(), "POST")) {
      await(f.request.sendRequest(null, ascii("abcd"), 10, null)); // 6 more bytes announced
      awaitFailure(f.request.writeData(ascii("efghijk")), ErrorCode.INVALID_PARAMETER); // 7
      assertEquals(6, await(f.request.writeData(ascii("efghij"))));
      ResponseHeaders headers = await(f.request.receiveResponse());
      assertEquals(200, headers.statusCode());
      assertEquals("done", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request REQUEST_ERROR WRITE_DATA INVALID_PARAMETER
          request WRITE_COMPLETE 6
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 4
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
      RecordedRequest recorded = server.takeRequest();
      assertEquals("POST", recorded.getMethod());
      assertEquals("10", recorded.getHeaders().get("Content-Length"));
      assertEquals("abcdefghij", recorded.getBody().utf8());
    }
  }

  // ------------------------------------------------------------------------------ arguments

  @Test
  void badArgumentsToThePublicApiThrowIllegalArgumentExceptionAtCallTime() {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    Connect connect = null;
    Request request = null;
    try {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      assertThrows(IllegalArgumentException.class, () -> session.connect(null, 80), "null host");
      assertThrows(IllegalArgumentException.class, () -> session.connect("h", -1), "port -1");
      assertThrows(IllegalArgumentException.class, () -> session.connect("h", 70000),
          "port 70000");
      assertThrows(IllegalArgumentException.class, () -> session.connect("", 80), "empty host");
      connect = session.connect("127.0.0.1", 80); // nothing is sent in this test
      Connect c = connect;
      assertThrows(IllegalArgumentException.class, () -> c.openRequest("G ET", "/"),
          "a method with a space");
      assertThrows(IllegalArgumentException.class, () -> c.openRequest("GET", "/a b"),
          "a target with a space");
      assertThrows(IllegalArgumentException.class, () -> c.openRequest("GET", "/a\r\nX: y"),
          "a target with CRLF");
      request = connect.openRequest("GET", "/");
      Request r = request;
      assertThrows(IllegalArgumentException.class, () -> r.addHeader("Bad Name", "v"),
          "a header name with a space");
      assertThrows(IllegalArgumentException.class, () -> r.addHeader("X", "a\r\nb"),
          "a header value with CRLF");
      assertThrows(IllegalArgumentException.class, () -> r.addHeaders("no colon line"),
          "a header line without a colon");
      assertThrows(IllegalArgumentException.class, () -> r.sendRequest(null, null, -2, null),
          "totalLength -2");
      ByteBuffer full = ByteBuffer.allocate(4);
      full.position(4);
      assertThrows(IllegalArgumentException.class, () -> r.readData(full),
          "a buffer without room");
    } finally {
      if (request != null) {
        request.close();
      }
      if (connect != null) {
        connect.close();
      }
      session.close();
    }
    rec.awaitClosing(session);
    // Nothing was created by a refused call, and no call became an operation.
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ header count

  private static String responseWithFields(int fieldCount) {
    StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < fieldCount - 1; i++) {
      response.append("X-Field-").append(i).append(": v\r\n");
    }
    response.append("Content-Length: 2\r\n\r\nok"); // field number fieldCount
    return response.toString();
  }

  @Test
  void aResponseWithMoreFieldsThanTheDefaultCountLimitFailsWithHeaderCountExceeded()
      throws Exception {
    try (RawServer raw = RawServer.respondAndHold(responseWithFields(300));
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.HEADER_COUNT_EXCEEDED);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE HEADER_COUNT_EXCEEDED
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void aResponseWithExactly256FieldsIsAccepted() throws Exception {
    try (RawServer raw = RawServer.respondAndHold(responseWithFields(256));
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      ResponseHeaders headers = await(f.request.receiveResponse());
      assertEquals(200, headers.statusCode());
      assertEquals("ok", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 2
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  // ------------------------------------------------------------------------------ connect timeout

  @Test
  void aConnectThatGetsNoAnswerWithinTheConnectTimeoutFailsWithTimeout() throws Exception {
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket listener = new ServerSocket()) {
      // Backlog 1, never accepted: once the accept queue is full, Linux drops new SYNs (with or
      // without syncookies, unless tcp_abort_on_overflow), so a connect gets no answer at all.
      listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
      InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
      boolean silent = false;
      for (int i = 0; i < 8 && !silent; i++) {
        Socket filler = new Socket();
        fillers.add(filler);
        try {
          filler.connect(address, 1000); // a probe, not an assertion: loopback answers at once
        } catch (SocketTimeoutException e) {
          silent = true; // this SYN was dropped: the queue is full
        } catch (IOException e) {
          break; // refused or reset (tcp_abort_on_overflow): this kernel does not drop SYNs
        }
      }
      Assumptions.assumeTrue(silent, "the kernel answered every connect to a listener whose"
          + " accept queue is full (it does not drop SYNs here), so no connect can be made to"
          + " hang; see sysctl net.ipv4.tcp_abort_on_overflow");

      Session session = Session.open();
      session.setTimeouts(Timeouts.defaults().withConnect(Duration.ofMillis(500)));
      try (Fixture f = new Fixture(session, address.getPort(), "GET")) {
        awaitFailure(f.request.sendRequest(), ErrorCode.TIMEOUT);
        f.closeAll();
        f.rec.assertNext("""
            session HANDLE_CREATED connect
            request HANDLE_CREATED request
            request RESOLVING_NAME 127.0.0.1
            request NAME_RESOLVED 127.0.0.1
            request CONNECTING_TO_SERVER 127.0.0.1
            request REQUEST_ERROR SEND_REQUEST TIMEOUT
            """ + CLOSINGS);
        f.rec.assertExhausted();
      }
    } finally {
      for (Socket filler : fillers) {
        try {
          filler.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }
}
