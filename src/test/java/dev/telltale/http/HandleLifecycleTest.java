package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.assertHandleException;
import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static dev.telltale.testkit.AsyncAssertions.awaitTermination;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CallbackStatus;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.NameResolver;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.Timeouts;
import dev.telltale.internal.loop.TcpTransport;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules 1–7: handle creation, inheritance, filtering, closing, cancellation, context. */
@ExtendWith(LeakCheck.class)
class HandleLifecycleTest {
  @StartStop final MockWebServer server = new MockWebServer();

  /** The notifications of a complete GET of "hello" on a fresh connection, after HANDLE_CREATED. */
  private static final String GET_HELLO = """
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
      """;

  private void enqueueHello() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
  }

  /** Sends, receives and reads the whole body through the futures; returns the body. */
  static String get(Request request) {
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    return readAll(request);
  }

  static String readAll(Request request) {
    StringBuilder body = new StringBuilder();
    ByteBuffer buf = ByteBuffer.allocate(100);
    while (true) {
      buf.clear();
      int n = await(request.readData(buf));
      if (n == 0) {
        return body.toString();
      }
      body.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
    }
  }

  // ------------------------------------------------------------------------------ rule 1

  @Test
  void rule1_handleCreatedIsDeliveredInsideTheCreatingCallWithTheNewHandleThroughTheRightHandle() {
    List<Object[]> created = Collections.synchronizedList(new ArrayList<>());
    StatusCallback callback = (handle, context, event) -> {
      if (event instanceof StatusEvent.HandleCreated e) {
        created.add(new Object[] {handle, e.created(), Thread.currentThread()});
      }
    };
    Session session = Session.open();
    try {
      session.setStatusCallback(callback, NotificationFlags.HANDLES);

      Connect connect = session.connect("127.0.0.1", server.getPort());
      assertEquals(1, created.size(), "connect's HANDLE_CREATED delivered before connect() returned");
      assertSame(session, created.get(0)[0], "a connect's HANDLE_CREATED goes through the session");
      assertSame(connect, created.get(0)[1], "payload is the new connect handle");
      assertSame(Thread.currentThread(), created.get(0)[2], "delivered on the creating thread");

      Request request = connect.openRequest("GET", "/");
      assertEquals(2, created.size(), "request's HANDLE_CREATED delivered before openRequest() returned");
      assertSame(request, created.get(1)[0], "a request's HANDLE_CREATED goes through the new request");
      assertSame(request, created.get(1)[1], "payload is the new request handle");
      assertSame(Thread.currentThread(), created.get(1)[2], "delivered on the creating thread");

      request.close();
      connect.close();
    } finally {
      session.close();
    }
  }

  @Test
  void rule1_aRequestsHandleCreatedUsesTheCallbackItInheritedFromItsConnect() {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", server.getPort()); // no callback anywhere yet
    connect.setStatusCallback(rec, NotificationFlags.HANDLES);
    Request request = connect.openRequest("GET", "/");
    rec.assertNext("""
        request HANDLE_CREATED request
        """);
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(connect);
    rec.assertNext("""
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ rule 2

  @Test
  void rule2_childrenSnapshotCallbackFlagsAndContextAndLaterParentChangesDoNotReachThem() {
    enqueueHello();
    RecordingCallback first = new RecordingCallback();
    RecordingCallback second = new RecordingCallback();
    Session session = Session.open();
    session.setContext("session-ctx");
    session.setStatusCallback(first, NotificationFlags.HANDLES);
    Connect connect = session.connect("127.0.0.1", server.getPort());

    session.setStatusCallback(second, NotificationFlags.ALL_NOTIFICATIONS);
    session.setContext("session-ctx-changed");
    assertEquals("session-ctx", connect.context(), "the connect keeps the context it copied");

    Request request = connect.openRequest("GET", "/");
    assertEquals("session-ctx", request.context(), "the request copies its connect's context");

    connect.setStatusCallback(second, NotificationFlags.ALL_NOTIFICATIONS);
    connect.setContext("connect-ctx-changed");
    assertEquals("session-ctx", request.context());

    // The request still has `first` with HANDLES only: the GET's notifications are filtered out.
    assertEquals("hello", get(request));
    request.close();
    connect.close();
    session.close();
    second.awaitClosing(session);

    first.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request HANDLE_CLOSING
        """);
    assertEquals(List.of("session-ctx", "session-ctx", "session-ctx"), first.contexts());
    second.assertNext("""
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(List.of("connect-ctx-changed", "session-ctx-changed"), second.contexts());
    first.assertExhausted();
    second.assertExhausted();
  }

  @Test
  void rule2_aCallbackInstalledOnTheSessionAfterChildrenExistDoesNotSeeTheirNotifications() {
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    assertEquals("hello", get(request));
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CLOSING
        """);
  }

  // ------------------------------------------------------------------------------ rule 3

  @Test
  void rule3_flagsGivenAsARawMaskDeliverExactlyTheStatusesInTheMask() {
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    int mask = CallbackStatus.HEADERS_AVAILABLE.value() | CallbackStatus.READ_COMPLETE.value()
        | CallbackStatus.HANDLE_CLOSING.value();
    session.setStatusCallback(rec, NotificationFlags.fromMask(mask));
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    assertEquals("hello", get(request));
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        request HEADERS_AVAILABLE
        request READ_COMPLETE 5
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  @Test
  void rule3_namedFlagConstantsFilterByTheirWinHttpGroups() {
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    request.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.RESOLVE_NAME,
        NotificationFlags.CONNECT_TO_SERVER, NotificationFlags.SENDREQUEST_COMPLETE));
    assertEquals("hello", get(request));
    request.close();
    connect.close();
    session.close();
    // every notification precedes its future, so all of them were delivered by now
    rec.assertNext("""
        request RESOLVING_NAME 127.0.0.1
        request NAME_RESOLVED 127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER 127.0.0.1
        request SENDREQUEST_COMPLETE
        """);
  }

  @Test
  void rule3_setStatusCallbackReturnsThePreviousCallbackAndNullUninstalls() {
    AtomicInteger calls = new AtomicInteger();
    StatusCallback a = (h, c, e) -> calls.incrementAndGet();
    StatusCallback b = (h, c, e) -> calls.incrementAndGet();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    assertNull(session.setStatusCallback(a, NotificationFlags.ALL_NOTIFICATIONS));
    assertSame(a, session.setStatusCallback(b, NotificationFlags.ALL_NOTIFICATIONS));
    assertSame(b, session.setStatusCallback(null, NotificationFlags.ALL_NOTIFICATIONS));
    assertNull(session.setStatusCallback(null, NotificationFlags.NONE));

    Connect uncalled = session.connect("127.0.0.1", server.getPort());
    assertEquals(0, calls.get(), "no callback is installed after null");

    // Callback and flags are replaced together: the new flags let only HANDLE_CLOSING through.
    assertNull(session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS));
    assertSame(rec, session.setStatusCallback(rec, NotificationFlags.of(CallbackStatus.HANDLE_CLOSING)));
    Connect connect = session.connect("127.0.0.1", server.getPort());
    rec.assertNext("");

    connect.close();
    uncalled.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(0, calls.get());
  }

  // ------------------------------------------------------------------------------ rule 4

  @Test
  void rule4_handleClosingIsDeliveredExactlyOnceAndLastAndASecondCloseDoesNothing() {
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    assertEquals("hello", get(request));

    request.close();
    request.close();
    assertTrue(request.isClosed());
    rec.awaitClosing(request);
    request.close();
    connect.close();
    connect.close();
    session.close();
    session.close();
    rec.awaitClosing(session);
    session.close();
    connect.close();
    request.close();

    rec.assertNext("session HANDLE_CREATED connect\nrequest HANDLE_CREATED request\n" + GET_HELLO + """
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  @Test
  void rule4_everyCallOnAClosedHandleThrowsInvalidHandle() {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);

    ErrorCode invalid = ErrorCode.INVALID_HANDLE;
    ByteBuffer buf = ByteBuffer.allocate(16);
    assertHandleException(invalid, () -> request.sendRequest());
    assertHandleException(invalid, () -> request.sendRequest("X-A: b", null, 0, "ctx"));
    assertHandleException(invalid, () -> request.writeData(ByteBuffer.wrap(new byte[] {1})));
    assertHandleException(invalid, () -> request.receiveResponse());
    assertHandleException(invalid, () -> request.queryHeaders());
    assertHandleException(invalid, () -> request.queryDataAvailable());
    assertHandleException(invalid, () -> request.readData(buf));
    assertHandleException(invalid, () -> request.addHeader("X-A", "b"));
    assertHandleException(invalid, () -> request.addHeaders("X-A: b"));
    assertHandleException(invalid, () -> request.setTimeouts(Timeouts.defaults()));
    assertHandleException(invalid, () -> request.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS));
    assertHandleException(invalid, () -> request.setContext("x"));
    assertHandleException(invalid, () -> request.setOption(Option.RECEIVE_TIMEOUT, Duration.ofSeconds(1)));
    assertHandleException(invalid, () -> request.queryOption(Option.RECEIVE_TIMEOUT));

    assertHandleException(invalid, () -> connect.openRequest("GET", "/"));
    assertHandleException(invalid, () -> connect.setStatusCallback(null, NotificationFlags.NONE));
    assertHandleException(invalid, () -> connect.setContext("x"));
    assertHandleException(invalid, () -> connect.queryOption(Option.RECEIVE_TIMEOUT));

    assertHandleException(invalid, () -> session.connect("127.0.0.1", server.getPort()));
    assertHandleException(invalid, () -> session.setTimeouts(Timeouts.defaults()));
    assertHandleException(invalid, () -> session.setStatusCallback(null, NotificationFlags.NONE));
    assertHandleException(invalid, () -> session.setContext("x"));
    assertHandleException(invalid, () -> session.setOption(Option.MAX_CONNS_PER_SERVER, 2));
    assertHandleException(invalid, () -> session.queryOption(Option.RECEIVE_TIMEOUT));

    assertTrue(request.isClosed() && connect.isClosed() && session.isClosed());
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ rule 5

  @Test
  void rule5_closingParentsFirstDefersTheirClosingAndTheOpenRequestStaysFullyUsable() {
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");

    session.close();
    connect.close();
    assertTrue(session.isClosed());
    assertTrue(connect.isClosed());
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """);
    assertHandleException(ErrorCode.INVALID_HANDLE, () -> connect.openRequest("GET", "/"));
    assertHandleException(ErrorCode.INVALID_HANDLE, () -> session.connect("127.0.0.1", 80));

    request.setContext("still-usable");
    assertEquals("still-usable", request.queryOption(Option.CONTEXT_VALUE));
    assertEquals("hello", get(request));
    assertEquals(200, request.queryHeaders().statusCode());
    rec.assertNext(GET_HELLO);

    request.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  @Test
  void rule5_closingSessionThenConnectThenRequestStillGivesRequestConnectSession() {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.HANDLES);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    session.close();
    connect.close();
    request.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  @Test
  void rule5_aConnectClosesOnlyAfterItsLastRequestHasClosed() {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.HANDLES);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request first = connect.openRequest("GET", "/1");
    Request second = connect.openRequest("GET", "/2");
    connect.close();
    first.close();
    rec.awaitClosing(first);
    assertFalse(rec.lines().contains("connect HANDLE_CLOSING"), () -> "connect closed early: " + rec.lines());
    second.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request2 HANDLE_CREATED request2
        request HANDLE_CLOSING
        request2 HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ rule 6

  @Test
  void rule6_closingARequestWithAPendingReceiveResponseCancelsItThenClosing() throws Exception {
    try (RawServer silent = RawServer.silent()) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.open();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", silent.port());
      Request request = connect.openRequest("GET", "/");
      await(request.sendRequest());
      CompletableFuture<ResponseHeaders> pending = request.receiveResponse();
      AtomicReference<List<String>> seenWhenFailed = new AtomicReference<>();
      CompletableFuture<ResponseHeaders> observed =
          pending.whenComplete((v, e) -> seenWhenFailed.set(rec.lines()));
      rec.awaitLine("request RECEIVING_RESPONSE");

      request.close();
      awaitFailure(pending, ErrorCode.OPERATION_CANCELLED);
      // the dependent stage may still be running when get() returns: wait for it too
      observed.handle((v, e) -> null).get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(seenWhenFailed.get().contains("request REQUEST_ERROR RECEIVE_RESPONSE OPERATION_CANCELLED"),
          () -> "the notification precedes the future: " + seenWhenFailed.get());
      rec.awaitClosing(request);
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
          request REQUEST_ERROR RECEIVE_RESPONSE OPERATION_CANCELLED
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
      rec.assertExhausted();
    }
  }

  @Test
  void rule6_closingARequestWithAPendingReadDataCancelsIt() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.open();
      session.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS, NotificationFlags.HANDLES));
      int socketsBefore = TcpTransport.openSockets();
      Connect connect = session.connect("127.0.0.1", server.port());
      Request request = connect.openRequest("GET", "/");
      await(request.sendRequest());
      await(request.receiveResponse());
      CompletableFuture<Integer> pending = request.readData(ByteBuffer.allocate(64));
      request.close();
      awaitFailure(pending, ErrorCode.OPERATION_CANCELLED);
      connect.close();
      session.close();
      rec.awaitClosing(session);
      // The server still holds its end open: once the session has terminated, the connection of
      // the abandoned body must be closed all the same (checked before the server goes away).
      awaitTermination(session);
      assertEquals(socketsBefore, TcpTransport.openSockets(),
          "sockets still open after the session terminated");
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request SENDREQUEST_COMPLETE
          request HEADERS_AVAILABLE
          request REQUEST_ERROR READ_DATA OPERATION_CANCELLED
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
      rec.assertExhausted();
    }
  }

  @Test
  void rule6_closingARequestCancelsEachPendingOperationSendAndReceive() throws Exception {
    CountDownLatch resolving = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch resolverReturned = new CountDownLatch(1);
    NameResolver blocking = host -> {
      resolving.countDown();
      try {
        release.await();
        return List.of(InetAddress.getLoopbackAddress());
      } catch (InterruptedException e) {
        throw new UnknownHostException(host + " (interrupted)");
      } finally {
        resolverReturned.countDown();
      }
    };
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.builder().resolver(blocking).build();
    try {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("blocked.test", server.getPort());
      Request request = connect.openRequest("GET", "/");
      CompletableFuture<Void> send = request.sendRequest();
      CompletableFuture<ResponseHeaders> receive = request.receiveResponse();
      assertTrue(resolving.await(20, TimeUnit.SECONDS));

      request.close();
      awaitFailure(send, ErrorCode.OPERATION_CANCELLED);
      awaitFailure(receive, ErrorCode.OPERATION_CANCELLED);
      rec.awaitClosing(request);
      release.countDown(); // the resolver answers after the close: nothing may follow HANDLE_CLOSING
      assertTrue(resolverReturned.await(20, TimeUnit.SECONDS));
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME blocked.test
          request REQUEST_ERROR SEND_REQUEST OPERATION_CANCELLED
          request REQUEST_ERROR RECEIVE_RESPONSE OPERATION_CANCELLED
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
      rec.assertExhausted();
    } finally {
      release.countDown();
      session.close();
    }
  }

  // ------------------------------------------------------------------------------ rule 7

  @Test
  void rule7_aNonNullSendRequestContextReplacesTheRequestContextAndNullKeepsIt() {
    enqueueHello();
    enqueueHello();
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setContext("session-ctx");
    session.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS, NotificationFlags.HANDLES));
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    request.setContext("set-ctx");

    await(request.sendRequest(null, null, 0, null));
    assertEquals("set-ctx", request.context(), "a null context keeps the request's");
    await(request.receiveResponse());
    assertEquals("hello", readAll(request));

    await(request.sendRequest(null, null, 0, "send-ctx"));
    assertEquals("send-ctx", request.context(), "a non-null context replaces the request's");
    assertEquals("send-ctx", request.queryOption(Option.CONTEXT_VALUE));
    await(request.receiveResponse());
    assertEquals("hello", readAll(request));
    assertEquals("session-ctx", connect.context(), "the parent's context is untouched");

    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request SENDREQUEST_COMPLETE
        request HEADERS_AVAILABLE
        request READ_COMPLETE 5
        request READ_COMPLETE 0
        request SENDREQUEST_COMPLETE
        request HEADERS_AVAILABLE
        request READ_COMPLETE 5
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(Arrays.asList("session-ctx", "session-ctx",
        "set-ctx", "set-ctx", "set-ctx", "set-ctx",
        "send-ctx", "send-ctx", "send-ctx", "send-ctx", "send-ctx",
        "session-ctx", "session-ctx"), rec.contexts());
  }
}
