package dev.telltale.websocket;

import static dev.telltale.testkit.AsyncAssertions.assertHandleException;
import static dev.telltale.websocket.WsFixture.await;
import static dev.telltale.websocket.WsFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CallbackStatus;
import dev.telltale.CloseStatus;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HandleType;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.StatusEvent;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rules 1–7 (handles and callbacks) for the websocket handle, and which options it takes, against
 * a raw echo server. The request-side rules are in {@code http.HandleLifecycleTest}.
 */
@ExtendWith(LeakCheck.class)
class WebSocketHandleRulesTest {
  private final WsFixture fx = new WsFixture();
  private RawServer server;

  @AfterEach
  void closeEverything() {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  private Request echoRequest() throws Exception {
    server = WsEchoServer.echo();
    return fx.upgradeRequest(fx.connect(server.port()), "/", false);
  }

  /** Sends {@code text} and receives its echo through the futures. */
  static void roundTrip(WebSocket socket, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap(bytes)));
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    assertEquals(new WebSocketStatus(bytes.length, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(buffer)));
    assertEquals(text, new String(buffer.array(), 0, bytes.length, StandardCharsets.UTF_8));
  }

  private static List<String> linesOf(RecordingCallback rec, String alias) {
    return rec.lines().stream().filter(l -> l.startsWith(alias + " ")).toList();
  }

  // ------------------------------------------------------------------------------ rule 1

  @Test
  void rule1_aWebSocketsHandleCreatedGoesThroughItsRequestInsideCompleteUpgradeWithTheNewHandle() throws Exception {
    Request request = echoRequest();
    request.setContext("request-context");
    List<Object[]> created = Collections.synchronizedList(new ArrayList<>());
    request.setStatusCallback((handle, context, event) -> {
      fx.rec.onStatus(handle, context, event);
      if (event instanceof StatusEvent.HandleCreated c) {
        created.add(new Object[] {handle, c.created(), context, Thread.currentThread()});
      }
    }, NotificationFlags.ALL_NOTIFICATIONS);

    WebSocket socket = fx.upgrade(request, "ws-context");
    // nothing was awaited after completeUpgrade returned: the notification ran inside it
    assertEquals(1, created.size(), "HANDLE_CREATED delivered before completeUpgrade returned");
    Object[] c = created.get(0);
    assertSame(request, c[0], "delivered through the request");
    assertSame(socket, c[1], "the payload is the new websocket");
    assertEquals("request-context", c[2], "with the context of the handle it goes through");
    assertSame(Thread.currentThread(), c[3], "on the thread calling completeUpgrade");
    assertSame(request, socket.parent());
    assertEquals(HandleType.WEBSOCKET, socket.type());
    fx.rec.assertNext(WsFixture.upgradeTable()); // ends with "request HANDLE_CREATED websocket"
  }

  // ------------------------------------------------------------------------------ rule 2

  @Test
  void rule2_aWebSocketSnapshotsItsRequestsCallbackAndFlagsAndItsContextIsTheArgumentOfCompleteUpgrade()
      throws Exception {
    Request request = echoRequest();
    request.setContext("request-context");
    RecordingCallback first = new RecordingCallback();
    request.setStatusCallback(first, NotificationFlags.union(NotificationFlags.HANDLES,
        NotificationFlags.WRITE_COMPLETE, NotificationFlags.CLOSE_COMPLETE));
    WebSocket socket = fx.upgrade(request, "ws-context");
    assertEquals("ws-context", socket.context());
    assertEquals("ws-context", socket.queryOption(Option.CONTEXT_VALUE));

    // later changes to the request reach neither the websocket's callback, flags nor context
    RecordingCallback later = new RecordingCallback();
    request.setStatusCallback(later, NotificationFlags.ALL_NOTIFICATIONS);
    request.setContext("changed");
    roundTrip(socket, "hello");
    await(socket.close(1000, "bye"));
    socket.close();
    first.awaitClosing(socket);
    first.assertNext("""
        request   HANDLE_CREATED websocket
        websocket WRITE_COMPLETE 5 UTF8_MESSAGE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        """); // READ_COMPLETE was not in the flags the websocket copied
    assertEquals(List.of("request-context", "ws-context", "ws-context", "ws-context"), first.contexts());
    assertEquals(List.of(), later.lines(), "the request's new callback sees nothing of the websocket");
    assertEquals("ws-context", socket.context());
  }

  @Test
  void rule2_completeUpgradeWithANullContextGivesAWebSocketWithoutOneNotTheRequests() throws Exception {
    Request request = echoRequest();
    request.setContext("request-context");
    WebSocket socket = fx.upgrade(request, null);
    assertNull(socket.context());
    roundTrip(socket, "x");
    List<String> lines = fx.rec.lines();
    List<Object> contexts = fx.rec.contexts();
    int write = lines.indexOf("websocket WRITE_COMPLETE 1 UTF8_MESSAGE");
    assertTrue(write > 0, () -> "no WRITE_COMPLETE in " + lines);
    assertNull(contexts.get(write));
    assertNull(contexts.get(write + 1)); // its READ_COMPLETE
  }

  // ------------------------------------------------------------------------------ rule 3

  @Test
  void rule3_flagsFilterWebSocketNotificationsAndSetStatusCallbackReturnsThePreviousAndNullUninstalls()
      throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), null);
    RecordingCallback mine = new RecordingCallback();
    assertSame(fx.rec, socket.setStatusCallback(mine, NotificationFlags.READ_COMPLETE));
    roundTrip(socket, "one");
    // a raw mask works as well as the named groups
    assertSame(mine, socket.setStatusCallback(mine,
        NotificationFlags.fromMask(CallbackStatus.WRITE_COMPLETE.value())));
    roundTrip(socket, "three");
    assertSame(mine, socket.setStatusCallback(null, NotificationFlags.ALL_NOTIFICATIONS));
    roundTrip(socket, "uninstalled");
    await(socket.close(1000, "bye"));
    assertNull(socket.setStatusCallback(mine, NotificationFlags.NONE), "null was installed");
    socket.close();
    Request request = socket.parent();
    request.close();
    request.parent().close();
    fx.session.close();
    fx.rec.awaitClosing(fx.session); // after the websocket's (undelivered) HANDLE_CLOSING
    mine.assertNext("""
        websocket READ_COMPLETE  3 UTF8_MESSAGE
        websocket WRITE_COMPLETE 5 UTF8_MESSAGE
        """);
    mine.assertExhausted();
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ rule 4

  @Test
  void rule4_handleClosingIsDeliveredOnceAndLastAndEveryCallOnAClosedWebSocketThrowsInvalidHandle()
      throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), "ws");
    roundTrip(socket, "hi");
    socket.close();
    socket.close(); // does nothing
    fx.rec.awaitClosing(socket);
    socket.close(); // after HANDLE_CLOSING: still nothing

    ErrorCode invalid = ErrorCode.INVALID_HANDLE;
    ByteBuffer data = ByteBuffer.wrap(new byte[] {1});
    assertHandleException(invalid, () -> socket.send(WebSocketBufferType.BINARY_MESSAGE, data));
    assertHandleException(invalid, () -> socket.receive(ByteBuffer.allocate(16)));
    assertHandleException(invalid, () -> socket.shutdown(1000, "x"));
    assertHandleException(invalid, () -> socket.close(1000, "x"));
    assertHandleException(invalid, socket::queryCloseStatus);
    assertHandleException(invalid, () -> socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ZERO));
    assertHandleException(invalid, () -> socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
    assertHandleException(invalid, () -> socket.queryOption(Option.CONTEXT_VALUE));
    assertHandleException(invalid, () -> socket.setStatusCallback(fx.rec, NotificationFlags.ALL_NOTIFICATIONS));
    assertHandleException(invalid, () -> socket.setContext("x"));
    assertTrue(socket.isClosed());
    assertEquals("ws", socket.context());

    Request request = socket.parent();
    request.close();
    assertHandleException(invalid, () -> request.completeUpgrade(null));
    request.parent().close();
    fx.session.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket WRITE_COMPLETE 2 UTF8_MESSAGE
        websocket READ_COMPLETE  2 UTF8_MESSAGE
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
  }

  @Test
  void rule4_isCompressedOnAClosedWebSocketThrowsInvalidHandleLikeEveryOtherCall() throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), null);
    assertFalse(socket.isCompressed());
    socket.close();
    fx.rec.awaitClosing(socket);
    // as Request.securityInfo() and timings() do: only the handle's identity (type, parent,
    // context, isClosed) stays readable
    assertHandleException(ErrorCode.INVALID_HANDLE, socket::isCompressed);
  }

  // ------------------------------------------------------------------------------ rule 5

  @Test
  void rule5_closingConnectAndSessionWaitsForTheOpenWebSocketWhichStaysFullyUsable() throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), "ws");
    Request request = socket.parent();
    Connect connect = request.parent();
    // README "Differences from WinHTTP": the websocket counts under its connect handle, so the
    // request closes at once
    request.close();
    fx.rec.awaitClosing(request);
    connect.close();
    fx.session.close();

    roundTrip(socket, "still here");
    socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(15));
    assertEquals(Duration.ofSeconds(15), socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
    socket.setContext("ws2");
    assertEquals("ws2", socket.queryOption(Option.CONTEXT_VALUE));
    assertSame(fx.rec, socket.setStatusCallback(fx.rec, NotificationFlags.ALL_NOTIFICATIONS));
    await(socket.shutdown(1000, "done"));
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(8))));
    assertEquals(new CloseStatus(1000, "done"), socket.queryCloseStatus());
    await(socket.close(1000, "done"));
    assertFalse(fx.rec.lines().contains("connect HANDLE_CLOSING"), "connect closed under an open websocket");
    assertFalse(fx.rec.lines().contains("session HANDLE_CLOSING"), "session closed under an open websocket");

    socket.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        request   HANDLE_CLOSING
        websocket WRITE_COMPLETE 10 UTF8_MESSAGE
        websocket READ_COMPLETE  10 UTF8_MESSAGE
        websocket SHUTDOWN_COMPLETE
        websocket READ_COMPLETE  0 CLOSE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
  }

  @Test
  void rule5_closingTheSessionFirstWaitsForWebSocketThenRequestThenConnect() throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), null);
    Request request = socket.parent();
    Connect connect = request.parent();
    fx.session.close();
    roundTrip(socket, "after the session's close");
    socket.close();
    fx.rec.awaitClosing(socket);
    request.close();
    fx.rec.awaitClosing(request);
    assertFalse(fx.rec.lines().contains("session HANDLE_CLOSING"), "session closed under an open connect");
    connect.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket WRITE_COMPLETE 25 UTF8_MESSAGE
        websocket READ_COMPLETE  25 UTF8_MESSAGE
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
  }

  @Test
  void rule5_aWebSocketUpgradedAfterItsConnectAndSessionWereClosedStillHoldsTheirClosing() throws Exception {
    Request request = echoRequest();
    Connect connect = request.parent();
    connect.close(); // the open request keeps it alive (and usable for the upgrade)
    fx.session.close();
    WebSocket socket = fx.upgrade(request, null);
    request.close();
    fx.rec.awaitClosing(request);
    roundTrip(socket, "late child");
    assertFalse(fx.rec.lines().contains("connect HANDLE_CLOSING"), "connect closed under an open websocket");
    socket.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        request   HANDLE_CLOSING
        websocket WRITE_COMPLETE 10 UTF8_MESSAGE
        websocket READ_COMPLETE  10 UTF8_MESSAGE
        websocket HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
  }

  // ------------------------------------------------------------------------------ rule 6

  @Test
  void rule6_closingAWebSocketCancelsThePendingSendAndReceiveThenHandleClosingAndNothingAfter()
      throws Exception {
    server = WsEchoServer.scriptedThenDeaf(new byte[0]);
    WebSocket socket = fx.open(server.port());
    // the server never reads: 64 MiB cannot all fit in the socket buffers, so the send stays pending
    CompletableFuture<Void> send = socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(64 << 20));
    CompletableFuture<WebSocketStatus> receive = socket.receive(ByteBuffer.allocate(64));
    // the notification precedes the future: capture what was delivered when each future failed
    CompletableFuture<List<String>> atSendFailure = send.handle((v, e) -> fx.rec.lines());
    CompletableFuture<List<String>> atReceiveFailure = receive.handle((v, e) -> fx.rec.lines());
    assertFalse(send.isDone(), "the send completed although the server reads nothing");
    socket.close();

    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(send).code());
    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(receive).code());
    String sendError = "websocket REQUEST_ERROR WEB_SOCKET_SEND OPERATION_CANCELLED";
    String receiveError = "websocket REQUEST_ERROR WEB_SOCKET_RECEIVE OPERATION_CANCELLED";
    assertTrue(await(atSendFailure).contains(sendError), "REQUEST_ERROR before the send future failed");
    assertTrue(await(atReceiveFailure).contains(receiveError), "REQUEST_ERROR before the receive future failed");

    Request request = socket.parent();
    request.close();
    request.parent().close();
    fx.session.close();
    fx.rec.awaitClosing(fx.session);
    List<String> mine = linesOf(fx.rec, "websocket");
    assertEquals(3, mine.size(), mine::toString);
    assertEquals(Set.of(sendError, receiveError), Set.copyOf(mine.subList(0, 2)), "each pending operation cancelled once");
    assertEquals("websocket HANDLE_CLOSING", mine.get(2), "HANDLE_CLOSING last");
    List<String> all = fx.rec.lines();
    assertEquals(List.of("connect HANDLE_CLOSING", "session HANDLE_CLOSING"),
        all.subList(all.indexOf("websocket HANDLE_CLOSING") + 1, all.size()).stream()
            .filter(l -> !l.startsWith("request ")).toList());
    fx.rec.assertInvariants();
  }

  @Test
  void rule6_aShutdownStuckBehindAPendingSendIsCancelledToo() throws Exception {
    server = WsEchoServer.scriptedThenDeaf(new byte[0]);
    WebSocket socket = fx.open(server.port());
    CompletableFuture<Void> send = socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(64 << 20));
    CompletableFuture<Void> shutdown = socket.shutdown(1000, "after the big one"); // its frame queues behind
    socket.close();
    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(send).code());
    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(shutdown).code());
    fx.rec.awaitClosing(socket);
    assertEquals(List.of("websocket REQUEST_ERROR WEB_SOCKET_SEND OPERATION_CANCELLED",
        "websocket REQUEST_ERROR WEB_SOCKET_SHUTDOWN OPERATION_CANCELLED", "websocket HANDLE_CLOSING"),
        linesOf(fx.rec, "websocket"));
  }

  // ------------------------------------------------------------------------------ options

  @SuppressWarnings("unchecked")
  private static List<Option<Object>> allOptions() throws IllegalAccessException {
    List<Option<Object>> options = new ArrayList<>();
    for (Field field : Option.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && Modifier.isPublic(field.getModifiers())
          && field.getType() == Option.class) {
        options.add((Option<Object>) field.get(null));
      }
    }
    return options;
  }

  @Test
  void options_aWebSocketTakesContextAndKeepaliveAndRefusesEveryOtherOptionWithIncorrectHandleType()
      throws Exception {
    WebSocket socket = fx.upgrade(echoRequest(), null);
    Set<String> accepted = new TreeSet<>();
    List<Option<Object>> options = allOptions();
    assertTrue(options.size() > 20, "found the Option constants");
    for (Option<Object> option : options) {
      if (option.settableOn().contains(HandleType.WEBSOCKET)) {
        accepted.add(option.name());
        assertTrue(option.queryableOn(HandleType.WEBSOCKET), option.name());
        socket.setOption(option, option.defaultValue());
        assertEquals(option.defaultValue(), socket.queryOption(option), option.name());
      } else {
        assertFalse(option.queryableOn(HandleType.WEBSOCKET), option.name());
        assertHandleException(ErrorCode.INCORRECT_HANDLE_TYPE, () -> socket.setOption(option, option.defaultValue()));
        assertHandleException(ErrorCode.INCORRECT_HANDLE_TYPE, () -> socket.queryOption(option));
      }
    }
    // README's options table: the keepalive interval is the websocket's own option; the context
    // value is every handle's (WINHTTP_OPTION_CONTEXT_VALUE)
    assertEquals(Set.of("CONTEXT_VALUE", "WEB_SOCKET_KEEPALIVE_INTERVAL"), accepted);
    roundTrip(socket, "options did not disturb it");
  }

  @Test
  void options_aWebSocketCopiesTheRequestsKeepaliveAtCreationAndTheHandlesChangeSeparately() throws Exception {
    Request request = echoRequest();
    request.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(20));
    WebSocket socket = fx.upgrade(request, "ws");
    assertEquals(Duration.ofSeconds(20), socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
    request.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(20), socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
    socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ZERO);
    assertEquals(Duration.ofSeconds(30), request.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
    assertEquals(Duration.ZERO, socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));

    socket.setOption(Option.CONTEXT_VALUE, "via option"); // the same value as setContext
    assertEquals("via option", socket.context());
    roundTrip(socket, "ctx");
    List<String> lines = fx.rec.lines();
    int write = lines.indexOf("websocket WRITE_COMPLETE 3 UTF8_MESSAGE");
    assertTrue(write > 0, lines::toString);
    assertEquals("via option", fx.rec.contexts().get(write));
    assertNull(request.context(), "the request's context is its own");
  }
}
