package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.testkit.AsyncAssertions;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

@ExtendWith(LeakCheck.class)
class LoggingCallbackTest {
  @StartStop final MockWebServer server = new MockWebServer();

  /** Records {@code LEVEL message} for every call at an enabled level. */
  static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final List<String> lines = new ArrayList<>();
    /** The most detailed level enabled; null: all off. */
    private volatile Level threshold;

    CapturingLogger(Level threshold) {
      this.name = "capture";
      this.threshold = threshold;
    }

    void enable(Level level) {
      threshold = level;
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    synchronized String text() {
      return String.join("\n", lines);
    }

    private boolean enabled(Level level) {
      Level t = threshold;
      return t != null && level.toInt() >= t.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args)
          + (throwable == null ? "" : " " + throwable));
    }
  }

  private Session session;
  private Connect connect;
  private Request request;
  private Request request2;

  /** Handles to log about; creating them makes no network activity. */
  @BeforeEach
  void openHandles() {
    session = Session.open();
    connect = session.connect("example.com", 80);
    request = connect.openRequest("GET", "/");
    request2 = connect.openRequest("GET", "/other");
  }

  @AfterEach
  void closeHandles() {
    request.close();
    request2.close();
    connect.close();
    session.close();
    AsyncAssertions.awaitTermination(session);
  }

  @Test
  void eachNotificationIsOneLineNamingTheHandleByTypeAndNumber() throws Exception {
    CapturingLogger log = new CapturingLogger(Level.TRACE);
    StatusCallback callback = LoggingCallback.create().withLogger(log);
    InetAddress address =
        InetAddress.getByAddress("example.com", new byte[] {93, (byte) 184, (byte) 215, 14});
    InetSocketAddress server = new InetSocketAddress(address, 80);
    ByteBuffer buffer = ByteBuffer.allocate(2048);

    callback.onStatus(session, null, new StatusEvent.HandleCreated(connect));
    callback.onStatus(request, null, new StatusEvent.HandleCreated(request));
    callback.onStatus(request, null, new StatusEvent.ResolvingName("example.com"));
    callback.onStatus(request, null, new StatusEvent.NameResolved("example.com", List.of(address)));
    callback.onStatus(request, null, new StatusEvent.ConnectingToServer(server));
    callback.onStatus(request, null, new StatusEvent.ConnectedToServer(server));
    callback.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    callback.onStatus(request, null, new StatusEvent.RequestSent(74));
    callback.onStatus(request, null, StatusEvent.SendRequestComplete.INSTANCE);
    callback.onStatus(request2, null, new StatusEvent.HandleCreated(request2));
    callback.onStatus(request2, null, new StatusEvent.RequestError(AsyncApi.SEND_REQUEST,
        new HttpException(ErrorCode.CANNOT_CONNECT, "connection refused")));
    callback.onStatus(request, null, StatusEvent.ReceivingResponse.INSTANCE);
    callback.onStatus(request, null, new StatusEvent.ResponseReceived(350));
    callback.onStatus(request, null, new StatusEvent.IntermediateResponse(100));
    callback.onStatus(request, null, StatusEvent.HeadersAvailable.INSTANCE);
    callback.onStatus(request, null, new StatusEvent.DataAvailable(1256));
    callback.onStatus(request, null, new StatusEvent.ReadComplete(buffer, 1256));
    callback.onStatus(request, null, StatusEvent.ClosingConnection.INSTANCE);
    callback.onStatus(request, null, StatusEvent.ConnectionClosed.INSTANCE);
    callback.onStatus(request, null, new StatusEvent.ReadComplete(buffer, 0));
    callback.onStatus(request, null, new StatusEvent.HandleClosing(request));
    callback.onStatus(request2, null, new StatusEvent.HandleClosing(request2));
    callback.onStatus(connect, null, new StatusEvent.HandleClosing(connect));
    callback.onStatus(session, null, new StatusEvent.HandleClosing(session));

    assertEquals("""
        DEBUG session#1 HANDLE_CREATED connect#1
        DEBUG request#1 HANDLE_CREATED request#1
        DEBUG request#1 RESOLVING_NAME example.com
        DEBUG request#1 NAME_RESOLVED example.com [93.184.215.14]
        DEBUG request#1 CONNECTING_TO_SERVER 93.184.215.14:80
        DEBUG request#1 CONNECTED_TO_SERVER 93.184.215.14:80
        DEBUG request#1 SENDING_REQUEST
        DEBUG request#1 REQUEST_SENT 74
        DEBUG request#1 SENDREQUEST_COMPLETE
        DEBUG request#2 HANDLE_CREATED request#2
        DEBUG request#2 REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT (12029)
        DEBUG request#1 RECEIVING_RESPONSE
        DEBUG request#1 RESPONSE_RECEIVED 350
        DEBUG request#1 INTERMEDIATE_RESPONSE 100
        DEBUG request#1 HEADERS_AVAILABLE
        DEBUG request#1 DATA_AVAILABLE 1256
        DEBUG request#1 READ_COMPLETE 1256
        DEBUG request#1 CLOSING_CONNECTION
        DEBUG request#1 CONNECTION_CLOSED
        DEBUG request#1 READ_COMPLETE 0
        DEBUG request#1 HANDLE_CLOSING
        DEBUG request#2 HANDLE_CLOSING
        DEBUG connect#1 HANDLE_CLOSING
        DEBUG session#1 HANDLE_CLOSING""", log.text());
  }

  @Test
  void aHandleClosingDeliveredThroughAnotherHandleNamesTheOneClosing() {
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    StatusCallback callback = LoggingCallback.create().withLogger(log);

    callback.onStatus(session, null, new StatusEvent.HandleClosing(connect));

    assertEquals("DEBUG session#1 HANDLE_CLOSING connect#1", log.text());
  }

  @ParameterizedTest
  @EnumSource(Level.class)
  void everyLineIsLoggedAtTheChosenLevel(Level level) {
    CapturingLogger log = new CapturingLogger(Level.TRACE);
    StatusCallback callback = LoggingCallback.atLevel(level).withLogger(log);

    callback.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    callback.onStatus(request, null, new StatusEvent.RequestSent(74));

    assertEquals(
        List.of(level + " request#1 SENDING_REQUEST", level + " request#1 REQUEST_SENT 74"),
        log.lines());
  }

  @Test
  void createLogsAtDebugToTheStatusLogger() {
    assertEquals("LoggingCallback[dev.telltale.status at DEBUG]",
        LoggingCallback.create().toString());
    assertEquals("LoggingCallback[dev.telltale.status at WARN]",
        LoggingCallback.atLevel(Level.WARN).toString());
    assertEquals("LoggingCallback[capture at TRACE]",
        LoggingCallback.atLevel(Level.TRACE).withLogger(new CapturingLogger(null)).toString());
  }

  @Test
  void aRedirectIsLoggedWithoutItsUserInfoQueryOrFragment() {
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    StatusCallback callback = LoggingCallback.create().withLogger(log);

    callback.onStatus(request, null, new StatusEvent.Redirect(
        URI.create("https://alice:secret@example.com/next?token=secret#secret")));

    assertEquals("DEBUG request#1 REDIRECT https://example.com/next?…", log.text());
  }

  @Test
  void aRequestErrorIsLoggedWithoutItsMessageOrCause() {
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    StatusCallback callback = LoggingCallback.create().withLogger(log);

    callback.onStatus(request, null, new StatusEvent.RequestError(AsyncApi.RECEIVE_RESPONSE,
        new HttpException(ErrorCode.INVALID_SERVER_RESPONSE, "bad header: Cookie: secret",
            new IllegalStateException("secret"))));

    assertEquals(
        "DEBUG request#1 REQUEST_ERROR RECEIVE_RESPONSE INVALID_SERVER_RESPONSE (12152)",
        log.text());
  }

  @Test
  void aReadCompleteIsLoggedAsItsByteCountNeverItsBytes() {
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    StatusCallback callback = LoggingCallback.create().withLogger(log);
    ByteBuffer body = ByteBuffer.wrap("secret".getBytes(StandardCharsets.US_ASCII));

    callback.onStatus(request, "secret context", new StatusEvent.ReadComplete(body, 6));

    assertEquals("DEBUG request#1 READ_COMPLETE 6", log.text());
    assertEquals(0, body.position(), "the buffer is not touched");
  }

  /** An error whose code() throws: a RequestError with it can only be printed by failing. */
  private static HttpException unprintable() {
    return new HttpException(ErrorCode.CONNECTION_ERROR, "reset") {
      private static final long serialVersionUID = 1L;

      @Override
      public ErrorCode code() {
        throw new AssertionError("the event was formatted");
      }
    };
  }

  @Test
  void nothingIsFormattedWhenTheLevelIsDisabled() {
    CapturingLogger log = new CapturingLogger(Level.INFO);
    StatusEvent trap = new StatusEvent.RequestError(AsyncApi.READ_DATA, unprintable());

    LoggingCallback.atLevel(Level.DEBUG).withLogger(log).onStatus(request, null, trap);

    assertEquals(List.of(), log.lines());
    // the trap is real: with the level enabled, formatting it fails
    assertThrows(AssertionError.class,
        () -> LoggingCallback.atLevel(Level.INFO).withLogger(log).onStatus(request, null, trap));
  }

  @Test
  void handlesAreNumberedOnlyWhenALineIsWritten() {
    CapturingLogger log = new CapturingLogger(null);
    StatusCallback callback = LoggingCallback.create().withLogger(log);

    callback.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    log.enable(Level.DEBUG);
    callback.onStatus(request2, null, StatusEvent.SendingRequest.INSTANCE);
    callback.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);

    assertEquals("""
        DEBUG request#1 SENDING_REQUEST
        DEBUG request#2 SENDING_REQUEST""", log.text());
  }

  @Test
  void aChainLogsThenForwardsEvenWhenLoggingFails() {
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    List<String> forwarded = new ArrayList<>();
    StatusCallback next = (handle, context, event) ->
        forwarded.add(event.status() + " after " + log.lines().size() + " line(s)");
    StatusCallback chain = LoggingCallback.create().withLogger(log).chain(next);

    chain.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    assertThrows(AssertionError.class, () -> chain.onStatus(request, null,
        new StatusEvent.RequestError(AsyncApi.READ_DATA, unprintable())));

    assertEquals(List.of("SENDING_REQUEST after 1 line(s)", "REQUEST_ERROR after 1 line(s)"),
        forwarded);
  }

  @Test
  void aRedirectedGetIsLoggedInOrderWithoutQueriesOrHeaderValues() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302)
        .addHeader("Location", "/final?token=secret").build());
    server.enqueue(new MockResponse.Builder().body("hello").build());
    CapturingLogger log = new CapturingLogger(Level.DEBUG);
    CompletableFuture<Void> sessionClosed = new CompletableFuture<>();
    Session liveSession = Session.open();
    liveSession.setStatusCallback(LoggingCallback.create().withLogger(log).chain((h, c, event) -> {
      if (event instanceof StatusEvent.HandleClosing e && e.closing() == h
          && h.type() == HandleType.SESSION) {
        sessionClosed.complete(null);
      }
    }), NotificationFlags.ALL_NOTIFICATIONS);
    Connect liveConnect = liveSession.connect("127.0.0.1", server.getPort());
    Request liveRequest = liveConnect.openRequest("GET", "/hello?token=secret");
    try {
      AsyncAssertions.await(liveRequest.sendRequest("Authorization: Bearer secret", null, 0, null));
      assertEquals(200, AsyncAssertions.await(liveRequest.receiveResponse()).statusCode());
      ByteBuffer buffer = ByteBuffer.allocate(100);
      assertEquals(5, AsyncAssertions.await(liveRequest.readData(buffer)));
      assertEquals(0, AsyncAssertions.await(liveRequest.readData(buffer)));
    } finally {
      liveRequest.close();
      liveConnect.close();
      liveSession.close();
    }
    AsyncAssertions.await(sessionClosed);
    AsyncAssertions.awaitTermination(liveSession);

    String port = ":" + server.getPort();
    String text = log.text().replace(port, ":PORT")
        .replaceAll("(REQUEST_SENT|RESPONSE_RECEIVED) [1-9][0-9]*", "$1 n");
    assertEquals("""
        DEBUG session#1 HANDLE_CREATED connect#1
        DEBUG request#1 HANDLE_CREATED request#1
        DEBUG request#1 RESOLVING_NAME 127.0.0.1
        DEBUG request#1 NAME_RESOLVED 127.0.0.1 [127.0.0.1]
        DEBUG request#1 CONNECTING_TO_SERVER 127.0.0.1:PORT
        DEBUG request#1 CONNECTED_TO_SERVER 127.0.0.1:PORT
        DEBUG request#1 SENDING_REQUEST
        DEBUG request#1 REQUEST_SENT n
        DEBUG request#1 SENDREQUEST_COMPLETE
        DEBUG request#1 RECEIVING_RESPONSE
        DEBUG request#1 RESPONSE_RECEIVED n
        DEBUG request#1 REDIRECT http://127.0.0.1:PORT/final?…
        DEBUG request#1 SENDING_REQUEST
        DEBUG request#1 REQUEST_SENT n
        DEBUG request#1 RECEIVING_RESPONSE
        DEBUG request#1 RESPONSE_RECEIVED n
        DEBUG request#1 HEADERS_AVAILABLE
        DEBUG request#1 READ_COMPLETE 5
        DEBUG request#1 READ_COMPLETE 0
        DEBUG request#1 HANDLE_CLOSING
        DEBUG connect#1 HANDLE_CLOSING
        DEBUG session#1 HANDLE_CLOSING""", text);
    assertFalse(log.text().contains("secret"), log::text);
    // ... though the secrets were there to leak
    mockwebserver3.RecordedRequest first = server.takeRequest();
    assertEquals("GET /hello?token=secret HTTP/1.1", first.getRequestLine());
    assertEquals("Bearer secret", first.getHeaders().get("Authorization"));
  }
}
