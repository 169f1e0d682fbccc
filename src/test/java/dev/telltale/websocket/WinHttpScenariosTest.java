package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CloseStatus;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.Request;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WebSocket scenarios of winhttp-observed.md §1.6, notification by notification, against
 * MockWebServer's websocket upgrade (rules 24–27).
 */
@ExtendWith(LeakCheck.class)
class WinHttpScenariosTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final WsFixture fx = new WsFixture();
  private EchoListener listener;

  @AfterEach
  void closeEverything() {
    if (listener != null) {
      listener.allowCloseReply();
    }
    fx.close();
  }

  private WebSocket upgradeWithEcho(boolean gatedClose) throws Exception {
    listener = new EchoListener(true, gatedClose);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(listener).build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.upgradeRequest(connect, "/", false);
    return fx.upgrade(request, "ws-context");
  }

  private void receiveBanner(WebSocket socket) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    WebSocketStatus status = await(socket.receive(buffer));
    assertEquals(new WebSocketStatus(EchoListener.BANNER.length(), WebSocketBufferType.UTF8_MESSAGE), status);
    assertEquals('R', buffer.get(0));
  }

  @Test
  void scenario161_mainFlowWithTheRequestClosedRightAfterTheUpgrade() throws Exception {
    WebSocket socket = upgradeWithEcho(false);
    Request request = socket.parent();
    assertEquals("ws-context", socket.context());
    request.close(); // rule 24: the websocket keeps working
    fx.rec.awaitClosing(request);

    byte[] first = new byte[8192];
    byte[] second = new byte[8192];
    new Random(1).nextBytes(first);
    new Random(2).nextBytes(second);
    await(socket.send(WebSocketBufferType.BINARY_FRAGMENT, ByteBuffer.wrap(first)));
    ByteBuffer text = ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_FRAGMENT, text));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_MESSAGE, text));
    await(socket.send(WebSocketBufferType.BINARY_FRAGMENT, ByteBuffer.wrap(second)));
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(0)));
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.wrap("hello\0".getBytes(StandardCharsets.US_ASCII))));

    CompletableFuture<Void> shutdown = socket.shutdown(1000, "success");
    HandleException afterShutdown = assertThrows(HandleException.class,
        () -> socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1)));
    assertEquals(ErrorCode.INVALID_OPERATION, afterShutdown.code());
    await(shutdown);
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, () -> socket.shutdown(1000, "again")).code());

    receiveBanner(socket);
    ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    WebSocketStatus status;
    do {
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      status = await(socket.receive(buffer));
      assertTrue(status.bufferType() == WebSocketBufferType.BINARY_FRAGMENT
          || status.bufferType() == WebSocketBufferType.BINARY_MESSAGE, status::toString);
      echoed.write(buffer.array(), 0, status.bytesTransferred());
    } while (status.bufferType() != WebSocketBufferType.BINARY_MESSAGE);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.write(first);
    sent.write(second);
    assertArrayEquals(sent.toByteArray(), echoed.toByteArray());

    listener.closing.await(20, TimeUnit.SECONDS);
    await(socket.close(1000, "success"));
    assertEquals(new CloseStatus(1000, "success"), socket.queryCloseStatus());
    assertEquals(1000, listener.closeCode);
    assertEquals("success", listener.closeReason);
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        request   HANDLE_CLOSING
        websocket WRITE_COMPLETE    8192 BINARY_FRAGMENT
        websocket WRITE_COMPLETE    8192 BINARY_FRAGMENT
        websocket WRITE_COMPLETE    0 BINARY_MESSAGE
        websocket WRITE_COMPLETE    6 BINARY_MESSAGE
        websocket SHUTDOWN_COMPLETE
        websocket READ_COMPLETE     31 UTF8_MESSAGE
        websocket READ_COMPLETE     16384 BINARY_MESSAGE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void scenario162_closeWhileAReceiveIsPendingCancelsItFirst() throws Exception {
    WebSocket socket = upgradeWithEcho(true);
    receiveBanner(socket);
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(1024));
    CompletableFuture<Void> close = socket.close(1000, "success");
    assertEquals(ErrorCode.OPERATION_CANCELLED, WsFixture.failure(pending).code());
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, socket::queryCloseStatus).code());
    assertTrue(listener.closing.await(20, TimeUnit.SECONDS));
    listener.allowCloseReply();
    await(close);
    assertEquals(new CloseStatus(1000, "success"), socket.queryCloseStatus());
    socket.close();
    fx.rec.awaitClosing(socket);
    Request request = socket.parent();
    request.close();
    fx.rec.awaitClosing(request);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket READ_COMPLETE     31 UTF8_MESSAGE
        websocket REQUEST_ERROR     WEB_SOCKET_RECEIVE OPERATION_CANCELLED
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        """);
  }

  @Test
  void scenario163_handleCloseWhileCloseIsPendingCancelsReceiveThenClose() throws Exception {
    WebSocket socket = upgradeWithEcho(true);
    receiveBanner(socket);
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(1024));
    CompletableFuture<Void> close = socket.close(1000, "success");
    assertTrue(listener.closing.await(20, TimeUnit.SECONDS)); // our close frame is out, unanswered
    socket.close();
    assertEquals(ErrorCode.OPERATION_CANCELLED, WsFixture.failure(pending).code());
    assertEquals(ErrorCode.OPERATION_CANCELLED, WsFixture.failure(close).code());
    fx.rec.awaitClosing(socket);
    Request request = socket.parent();
    request.close();
    fx.rec.awaitClosing(request);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket READ_COMPLETE     31 UTF8_MESSAGE
        websocket REQUEST_ERROR     WEB_SOCKET_RECEIVE OPERATION_CANCELLED
        websocket REQUEST_ERROR     WEB_SOCKET_CLOSE OPERATION_CANCELLED
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        """);
  }

  @Test
  void scenario164_handleCloseWhileAReceiveIsPendingCancelsIt() throws Exception {
    WebSocket socket = upgradeWithEcho(true);
    receiveBanner(socket);
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(1024));
    socket.close();
    assertEquals(ErrorCode.OPERATION_CANCELLED, WsFixture.failure(pending).code());
    fx.rec.awaitClosing(socket);
    assertThrows(HandleException.class, () -> socket.receive(ByteBuffer.allocate(8)));
    Request request = socket.parent();
    request.close();
    fx.rec.awaitClosing(request);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket READ_COMPLETE     31 UTF8_MESSAGE
        websocket REQUEST_ERROR     WEB_SOCKET_RECEIVE OPERATION_CANCELLED
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        """);
  }

  @Test
  void scenario165_shutdownWhileAReceiveIsPendingThenCloseCompletesAtOnce() throws Exception {
    WebSocket socket = upgradeWithEcho(true);
    receiveBanner(socket);
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(1024));
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, () -> socket.receive(ByteBuffer.allocate(8))).code());
    await(socket.shutdown(1000, "success"));
    assertTrue(listener.closing.await(20, TimeUnit.SECONDS));
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, socket::queryCloseStatus).code());
    listener.allowCloseReply();
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(pending));
    assertEquals(new CloseStatus(1000, "success"), socket.queryCloseStatus());
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, () -> socket.receive(ByteBuffer.allocate(8))).code());
    await(socket.close(1000, "success"));
    Request request = socket.parent();
    Connect connect = request.parent();
    socket.close();
    request.close();
    connect.close();
    fx.session.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket READ_COMPLETE     31 UTF8_MESSAGE
        websocket SHUTDOWN_COMPLETE
        websocket READ_COMPLETE     0 CLOSE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        request   HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
  }

  @Test
  void rule24_theSameRequestSentAgainUpgradesToAnotherWebSocket() throws Exception {
    WebSocket first = upgradeWithEcho(false);
    Request request = first.parent();
    assertEquals(ErrorCode.INCORRECT_HANDLE_STATE,
        assertThrows(HandleException.class, () -> request.completeUpgrade(null)).code());
    EchoListener second = new EchoListener(false, false);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(second).build());
    WebSocket again = fx.upgrade(request, "second");
    assertTrue(again != first);
    assertEquals("second", again.context());
    await(again.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("2".getBytes(StandardCharsets.UTF_8))));
    assertEquals(new WebSocketStatus(1, WebSocketBufferType.UTF8_MESSAGE), await(again.receive(ByteBuffer.allocate(8))));
    receiveBanner(first); // the first one still works
  }

  @Test
  void rule26_secondSendWhileOneIsPendingIsInvalidOperation() throws Exception {
    // The peer does not read until the second send was tried, so the first (16 MiB, far more than
    // the loopback socket buffers hold while nobody reads) is pending for certain, not by timing.
    CountDownLatch secondTried = new CountDownLatch(1);
    CompletableFuture<Integer> receivedBytes = new CompletableFuture<>();
    try (RawServer peer = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      secondTried.await(30, TimeUnit.SECONDS);
      int total = 0;
      WsWire.Frame frame;
      do { // the client may cut a large message into several frames
        frame = WsWire.read(conn.socket().getInputStream());
        total += frame.payload().length;
      } while (!frame.fin());
      receivedBytes.complete(total);
      conn.drainUntilClientCloses();
    })) {
      WebSocket socket = fx.open(peer.port());
      CompletableFuture<Void> first = socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(16 << 20));
      HandleException second = assertThrows(HandleException.class,
          () -> socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1)));
      assertEquals(ErrorCode.INVALID_OPERATION, second.code());
      assertTrue(!first.isDone(), "the first send is still pending");
      secondTried.countDown();
      await(first);
      assertEquals(16 << 20, receivedBytes.get(30, TimeUnit.SECONDS));
      // once the first completed, the next send is admitted
      await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1)));
      socket.close();
      fx.rec.awaitClosing(socket);
    }
  }

  @Test
  void rule26_closeReasonLongerThan123BytesIsRefused() throws Exception {
    WebSocket socket = upgradeWithEcho(false);
    String reason124 = "é".repeat(62); // 124 UTF-8 bytes
    assertThrows(IllegalArgumentException.class, () -> socket.close(1000, reason124));
    assertThrows(IllegalArgumentException.class, () -> socket.shutdown(1000, reason124));
    assertThrows(IllegalArgumentException.class, () -> socket.close(1005, "reserved code"));
    await(socket.shutdown(1000, "x".repeat(123))); // exactly 123 bytes is fine
  }

  @Test
  void rule18_theUpgradeRequestCarriesAFreshKeyAndTheConnectionIsNeverPooled() throws Exception {
    WebSocket socket = upgradeWithEcho(false);
    RecordedRequest recorded = server.takeRequest();
    assertEquals("websocket", recorded.getHeaders().get("Upgrade"));
    assertEquals("Upgrade", recorded.getHeaders().get("Connection"));
    assertEquals("13", recorded.getHeaders().get("Sec-WebSocket-Version"));
    String key = recorded.getHeaders().get("Sec-WebSocket-Key");
    assertEquals(16, java.util.Base64.getDecoder().decode(key).length);
    assertEquals(null, recorded.getHeaders().get("Sec-WebSocket-Extensions"));
    assertSame(WebSocket.class, socket.getClass());

    // a second request on the same connect handle needs a new connection (rule 18)
    EchoListener second = new EchoListener(false, false);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(second).build());
    Request again = fx.upgradeRequest(socket.parent().parent(), "/", false);
    WebSocket socket2 = fx.upgrade(again, null);
    assertTrue(again.connectionInfo().orElseThrow().connectionId() != socket.parent().connectionInfo().orElseThrow().connectionId());
    String key2 = server.takeRequest().getHeaders().get("Sec-WebSocket-Key");
    assertTrue(!key.equals(key2), "each upgrade sends a fresh key");
    await(socket2.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8))));
    ByteBuffer buffer = ByteBuffer.allocate(16);
    assertEquals(new WebSocketStatus(4, WebSocketBufferType.UTF8_MESSAGE), await(socket2.receive(buffer)));
  }
}
