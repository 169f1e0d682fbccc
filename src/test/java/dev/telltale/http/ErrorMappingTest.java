package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.NameResolver;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules 20 and 21: call-time state errors and how network failures map to WinHTTP codes. */
@ExtendWith(LeakCheck.class)
class ErrorMappingTest {
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

    Fixture(Session session, String host, int port) {
      this.session = session;
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      this.connect = session.connect(host, port);
      this.request = connect.openRequest("GET", "/");
    }

    Fixture(int port) {
      this(Session.open(), "127.0.0.1", port);
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

  private static int refusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  // ------------------------------------------------------------------------------ rule 20

  @Test
  void rule20_aSecondReceiveResponseIsIncorrectHandleStateAndTheBodyCanStillBeRead() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Fixture f = new Fixture(server.getPort())) {
      await(f.request.sendRequest());
      ResponseHeaders headers = await(f.request.receiveResponse());
      assertEquals(200, headers.statusCode());
      awaitFailure(f.request.receiveResponse(), ErrorCode.INCORRECT_HANDLE_STATE);
      assertEquals("hello", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request REQUEST_ERROR RECEIVE_RESPONSE INCORRECT_HANDLE_STATE
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule20_readDataBeforeTheHeadersIsIncorrectHandleStateAndTheRequestStaysUsable() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Fixture f = new Fixture(server.getPort())) {
      awaitFailure(f.request.readData(ByteBuffer.allocate(16)), ErrorCode.INCORRECT_HANDLE_STATE);
      await(f.request.sendRequest());
      awaitFailure(f.request.readData(ByteBuffer.allocate(16)), ErrorCode.INCORRECT_HANDLE_STATE);
      await(f.request.receiveResponse());
      assertEquals("hello", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request REQUEST_ERROR READ_DATA INCORRECT_HANDLE_STATE
          """ + CONNECTED_AND_SENT + """
          request REQUEST_ERROR READ_DATA INCORRECT_HANDLE_STATE
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule20_queryDataAvailableOrReceiveResponseBeforeSendRequestIsIncorrectHandleState() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Fixture f = new Fixture(server.getPort())) {
      awaitFailure(f.request.queryDataAvailable(), ErrorCode.INCORRECT_HANDLE_STATE);
      awaitFailure(f.request.receiveResponse(), ErrorCode.INCORRECT_HANDLE_STATE);
      await(f.request.sendRequest());
      await(f.request.receiveResponse());
      assertEquals(5, await(f.request.queryDataAvailable()));
      assertEquals("hello", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request REQUEST_ERROR QUERY_DATA_AVAILABLE INCORRECT_HANDLE_STATE
          request REQUEST_ERROR RECEIVE_RESPONSE INCORRECT_HANDLE_STATE
          """ + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request DATA_AVAILABLE 5
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule20_writeDataWithoutAnAnnouncedBodyIsIncorrectHandleState() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    try (Fixture f = new Fixture(server.getPort())) {
      awaitFailure(f.request.writeData(ByteBuffer.wrap(new byte[] {1, 2})), ErrorCode.INCORRECT_HANDLE_STATE);
      await(f.request.sendRequest());
      awaitFailure(f.request.writeData(ByteBuffer.wrap(new byte[] {1, 2})), ErrorCode.INCORRECT_HANDLE_STATE);
      await(f.request.receiveResponse());
      assertEquals("hello", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request REQUEST_ERROR WRITE_DATA INCORRECT_HANDLE_STATE
          """ + CONNECTED_AND_SENT + """
          request REQUEST_ERROR WRITE_DATA INCORRECT_HANDLE_STATE
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule20_aSecondSendRequestWhileTheFirstIsPendingIsIncorrectHandleStateAndTheFirstCompletes()
      throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    CountDownLatch release = new CountDownLatch(1);
    NameResolver gated = host -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new UnknownHostException(host + " (interrupted)");
      }
      return List.of(InetAddress.getByName("127.0.0.1"));
    };
    try (Fixture f = new Fixture(Session.builder().resolver(gated).build(), "gated.test", server.getPort())) {
      CompletableFuture<Void> first = f.request.sendRequest();
      awaitFailure(f.request.sendRequest(), ErrorCode.INCORRECT_HANDLE_STATE);
      release.countDown();
      await(first);
      await(f.request.receiveResponse());
      assertEquals("hello", HandleLifecycleTest.readAll(f.request));
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME gated.test
          request REQUEST_ERROR SEND_REQUEST INCORRECT_HANDLE_STATE
          request NAME_RESOLVED gated.test
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
          """ + CLOSINGS);
      f.rec.assertExhausted();
    } finally {
      release.countDown();
    }
  }

  // ------------------------------------------------------------------------------ rule 21

  @Test
  void rule21_anUnknownHostFailsSendRequestWithNameNotResolved() {
    NameResolver unknown = host -> {
      throw new UnknownHostException(host);
    };
    try (Fixture f = new Fixture(Session.builder().resolver(unknown).build(), "nowhere.invalid", 80)) {
      awaitFailure(f.request.sendRequest(), ErrorCode.NAME_NOT_RESOLVED);
      // As on Windows, a receiveResponse after the failed send is a state error.
      awaitFailure(f.request.receiveResponse(), ErrorCode.INCORRECT_HANDLE_STATE);
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME nowhere.invalid
          request REQUEST_ERROR SEND_REQUEST NAME_NOT_RESOLVED
          request REQUEST_ERROR RECEIVE_RESPONSE INCORRECT_HANDLE_STATE
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aRefusedConnectionFailsSendRequestWithCannotConnect() throws Exception {
    try (Fixture f = new Fixture(refusedPort())) {
      awaitFailure(f.request.sendRequest(), ErrorCode.CANNOT_CONNECT);
      f.closeAll();
      f.rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME 127.0.0.1
          request NAME_RESOLVED 127.0.0.1
          request CONNECTING_TO_SERVER 127.0.0.1
          request REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_theServerClosingBeforeAResponseFailsReceiveResponseWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.start(c -> {
          c.readHead();
          c.close();
        });
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.CONNECTION_ERROR);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE CONNECTION_ERROR
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aConnectionResetBeforeAResponseFailsReceiveResponseWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.start(c -> {
          c.readHead();
          c.reset();
        });
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.CONNECTION_ERROR);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE CONNECTION_ERROR
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aHeadCutShortByEndOfStreamFailsWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.respondAndClose("HTTP/1.1 200 OK\r\nContent-Le");
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.CONNECTION_ERROR);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE CONNECTION_ERROR
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aMalformedResponseFailsWithInvalidServerResponse() throws Exception {
    try (RawServer raw = RawServer.respondAndHold("hello world\r\n\r\n");
        Fixture f = new Fixture(raw.port())) {
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.INVALID_SERVER_RESPONSE);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE INVALID_SERVER_RESPONSE
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aHeaderBlockOverTheDefaultMaximumFailsWithHeaderSizeOverflow() throws Exception {
    StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\n");
    String value = "a".repeat(8000);
    for (int i = 0; i < 10; i++) { // 80 KB of fields against the 64 KiB default
      response.append("X-Big-").append(i).append(": ").append(value).append("\r\n");
    }
    response.append("Content-Length: 0\r\n\r\n");
    try (RawServer raw = RawServer.respondAndHold(response.toString());
        Fixture f = new Fixture(raw.port())) {
      assertEquals(64 * 1024, f.request.queryOption(Option.MAX_RESPONSE_HEADER_SIZE));
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.HEADER_SIZE_OVERFLOW);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE HEADER_SIZE_OVERFLOW
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_aHeaderBlockOverARequestsOwnMaximumFailsWithHeaderSizeOverflow() throws Exception {
    String response = "HTTP/1.1 200 OK\r\nX-Long: " + "b".repeat(2000) + "\r\nContent-Length: 0\r\n\r\n";
    try (RawServer raw = RawServer.respondAndHold(response);
        Fixture f = new Fixture(raw.port())) {
      f.request.setOption(Option.MAX_RESPONSE_HEADER_SIZE, 1024);
      await(f.request.sendRequest());
      awaitFailure(f.request.receiveResponse(), ErrorCode.HEADER_SIZE_OVERFLOW);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE HEADER_SIZE_OVERFLOW
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }

  @Test
  void rule21_moreRedirectsThanAllowedFailWithRedirectFailed() {
    for (int i = 1; i <= 3; i++) {
      server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/r" + i).build());
    }
    try (Fixture f = new Fixture(server.getPort())) {
      f.request.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 2);
      await(f.request.sendRequest());
      CompletableFuture<ResponseHeaders> receive = f.request.receiveResponse();
      awaitFailure(receive, ErrorCode.REDIRECT_FAILED);
      f.closeAll();
      f.rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n"
          + CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request REDIRECT /r1
          request SENDING_REQUEST
          request REQUEST_SENT
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request REDIRECT /r2
          request SENDING_REQUEST
          request REQUEST_SENT
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request REQUEST_ERROR RECEIVE_RESPONSE REDIRECT_FAILED
          """ + CLOSINGS);
      f.rec.assertExhausted();
    }
  }
}
