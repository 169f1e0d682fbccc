package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static dev.telltale.websocket.WsFixture.failure;
import static dev.telltale.websocket.WsWire.concat;
import static dev.telltale.websocket.WsWire.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CloseStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.StatusEvent;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketProbes;
import dev.telltale.WebSocketStatus;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An adversarial review of the websocket engine: edges of rules 24–28 and of RFC 6455 that the
 * first tests did not reach, each against a raw scripted server whose every frame the test sees.
 */
@ExtendWith(LeakCheck.class)
class WebSocketReviewTest {
  private final WsFixture fx = new WsFixture();
  private RawServer server;
  /** Frames the client sent, in order; an EOF marker (opcode -1) when it closed the connection. */
  private final LinkedBlockingQueue<WsWire.Frame> fromClient = new LinkedBlockingQueue<>();
  /** Opened by the test to let the server answer the client's close frame. */
  private final CountDownLatch replyClose = new CountDownLatch(1);
  private static final WsWire.Frame EOF = new WsWire.Frame(true, 0, -1, false, 0, new byte[0]);

  @AfterEach
  void closeEverything() {
    replyClose.countDown();
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  /**
   * A server that writes {@code afterHandshake} with the 101, records every client frame, answers
   * the client's close frame with {@code closeReply} once {@link #replyClose} is open (at once if
   * {@code gated} is false), and records EOF when the client closes the connection.
   */
  private void serve(byte[] afterHandshake, byte[] closeReply, boolean gated) throws Exception {
    if (!gated) {
      replyClose.countDown();
    }
    server = RawServer.start(conn -> {
      String head = conn.readHead();
      conn.write(concat(WsWire.response(head, WsWire.accept(WsWire.header(head, "Sec-WebSocket-Key")), "")
          .getBytes(StandardCharsets.ISO_8859_1), afterHandshake));
      InputStream in = conn.socket().getInputStream();
      try {
        while (true) {
          WsWire.Frame frame = WsWire.read(in);
          fromClient.add(frame);
          if (frame.opcode() == 8 && replyClose.await(20, TimeUnit.SECONDS) && closeReply != null) {
            conn.write(closeReply);
          }
        }
      } catch (EOFException e) {
        fromClient.add(EOF);
      }
    });
  }

  private WsWire.Frame nextFrame() throws InterruptedException {
    WsWire.Frame frame = fromClient.poll(20, TimeUnit.SECONDS);
    assertTrue(frame != null, "the client sent nothing within 20 s");
    return frame;
  }

  private static ByteBuffer utf8(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuffer bytes(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length);
    for (int v : values) {
      b.put((byte) v);
    }
    return b.flip();
  }

  // ------------------------------------------------------------------ receive edges

  @Test
  void aPendingReceiveGetsTheCutMessageAsAFragmentWhenTheCloseFrameArrivesMidMessage() throws Exception {
    // the server waits for "go", so the receive is pending before any frame arrives
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      WsWire.read(in);
      conn.write(concat(frame(0x01, "Hel".getBytes(StandardCharsets.UTF_8)), WsWire.close(1000, "mid")));
      WsWire.Frame close = WsWire.readUntilClose(in);
      fromClient.add(close);
      conn.write(frame(0x88, close.payload()));
      conn.drainUntilClientCloses();
    });
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    CompletableFuture<WebSocketStatus> pending = socket.receive(buffer);
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, utf8("go")));
    assertEquals(new WebSocketStatus(3, WebSocketBufferType.UTF8_FRAGMENT), await(pending));
    assertEquals("Hel", new String(buffer.array(), 0, 3, StandardCharsets.UTF_8));
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(64))));
    assertEquals(new CloseStatus(1000, "mid"), socket.queryCloseStatus());
    await(socket.close(1000, "ok"));
    assertEquals(1000, nextFrame().closeCode());
  }

  @Test
  void receiveIntoABufferWithoutRoomIsRefusedAndLeavesNoReceivePending() throws Exception {
    serve(WsWire.text("hi"), null, false);
    WebSocket socket = fx.open(server.port());
    assertThrows(IllegalArgumentException.class, () -> socket.receive(ByteBuffer.allocate(0)));
    ByteBuffer full = ByteBuffer.allocate(8).position(8);
    assertThrows(IllegalArgumentException.class, () -> socket.receive(full));
    assertThrows(IllegalArgumentException.class, () -> socket.receive(ByteBuffer.allocate(8).asReadOnlyBuffer()));
    assertThrows(NullPointerException.class, () -> socket.receive(null));
    assertEquals(new WebSocketStatus(2, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(ByteBuffer.allocate(8))));
  }

  // ------------------------------------------------------------------ send edges

  @Test
  void aHugeSendGoesOutInFramesOfTheSendBufferSizeWithOneWriteComplete() throws Exception {
    serve(new byte[0], null, false);
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_SEND_BUFFER_SIZE, 65536);
    WebSocket socket = fx.upgrade(request, null);
    byte[] huge = new byte[5 * 1024 * 1024 + 123];
    new Random(21).nextBytes(huge);
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.wrap(huge)));
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    int frames = 0;
    long total = 0;
    WsWire.Frame f;
    do {
      f = nextFrame();
      assertEquals(frames == 0 ? 2 : 0, f.opcode(), "frame " + frames);
      int length = f.payload().length;
      assertTrue(length <= 65536, () -> "a frame of " + length + " bytes");
      got.update(f.payload());
      total += f.payload().length;
      frames++;
    } while (!f.fin());
    assertEquals(huge.length, total);
    assertEquals((huge.length + 65535) / 65536, frames);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(huge), got.digest());
    // exactly two frames' worth: no empty third frame
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(2 * 65536)));
    assertTrue(!nextFrame().fin());
    assertTrue(nextFrame().fin());
    List<String> writes = fx.rec.lines().stream().filter(l -> l.contains("WRITE_COMPLETE")).collect(Collectors.toList());
    assertEquals(List.of("websocket WRITE_COMPLETE " + huge.length + " BINARY_MESSAGE",
        "websocket WRITE_COMPLETE 131072 BINARY_MESSAGE"), writes);
  }

  @Test
  void invalidUtf8IsRefusedAtCallTimeAcrossFragmentsAndARefusedPieceChangesNothing() throws Exception {
    serve(new byte[0], null, false);
    WebSocket socket = fx.open(server.port());
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_MESSAGE, bytes(0xC3, 0x28)));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_MESSAGE, bytes(0xED, 0xA0, 0x80)));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_MESSAGE, bytes('a', 0xE2, 0x82)));
    // "€" = E2 82 AC, split across three fragments
    await(socket.send(WebSocketBufferType.UTF8_FRAGMENT, bytes('x', 0xE2)));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_FRAGMENT, bytes('(')));
    await(socket.send(WebSocketBufferType.UTF8_FRAGMENT, bytes(0x82)));
    assertThrows(IllegalArgumentException.class, () -> socket.send(WebSocketBufferType.UTF8_MESSAGE, bytes()));
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, bytes(0xAC)));
    // a binary message is not UTF-8 checked; the next text message starts afresh
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, bytes(0xFF)));
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, utf8("ok")));
    List<WsWire.Frame> frames = List.of(nextFrame(), nextFrame(), nextFrame(), nextFrame(), nextFrame());
    assertEquals(List.of(1, 0, 0, 2, 1), frames.stream().map(WsWire.Frame::opcode).collect(Collectors.toList()));
    assertEquals("x€", new String(concat(frames.get(0).payload(), frames.get(1).payload(),
        frames.get(2).payload()), StandardCharsets.UTF_8));
    assertEquals("ok", frames.get(4).text());
  }

  @Test
  void theSendTimeoutLimitsEachStallNotTheWholeOfASendThatKeepsMoving() throws Exception {
    // Timeouts: the send timeout is the time each write may take to make progress. A slow reader
    // stalls the send eight times for 0.4 s: 3.2 s in all, each stall far below the 2 s limit.
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 8; i++) {
        Thread.sleep(400); // pacing a slow reader, not synchronizing with the client
        in.readNBytes(chunk, 0, chunk.length);
      }
      conn.drainUntilClientCloses();
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.SEND_TIMEOUT, java.time.Duration.ofSeconds(2));
    WebSocket socket = fx.upgrade(request, null);
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(48 << 20)));
  }

  @Test
  void aSendThatMakesNoProgressForTheSendTimeoutFailsWithTimeout() throws Exception {
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.holdSilently(); // reads nothing: the send stalls once the socket buffers are full
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.SEND_TIMEOUT, java.time.Duration.ofMillis(300));
    WebSocket socket = fx.upgrade(request, null);
    assertEquals(ErrorCode.TIMEOUT,
        failure(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(64 << 20))).code());
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket REQUEST_ERROR WEB_SOCKET_SEND TIMEOUT
        websocket HANDLE_CLOSING
        """);
  }

  // ------------------------------------------------------------------ shutdown, close, queryCloseStatus

  @Test
  void shutdownTwiceIsRefusedAndCloseAfterShutdownSendsNoSecondCloseFrame() throws Exception {
    serve(new byte[0], WsWire.close(1000, "bye"), true);
    WebSocket socket = fx.open(server.port());
    await(socket.shutdown(1001, "first"));
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, () -> socket.shutdown(1000, "second")).code());
    WsWire.Frame close = nextFrame();
    assertEquals(8, close.opcode());
    assertEquals(1001, close.closeCode());
    CompletableFuture<Void> closing = socket.close(1000, "ignored: shutdown sent the frame");
    replyClose.countDown();
    await(closing);
    assertEquals(new CloseStatus(1000, "bye"), socket.queryCloseStatus());
    assertEquals(-1, nextFrame().opcode(), "after its close frame the client only closed the connection");
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket SHUTDOWN_COMPLETE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void closeCodesThatMayNotBeSentAreRefusedAndLeaveCloseAvailable() throws Exception {
    serve(new byte[0], WsWire.close(1000, "ok"), false);
    WebSocket socket = fx.open(server.port());
    for (int code : new int[] {1005, 1006, 1015, 999, 1004, 1016, 2999, 5000, 0, -1, 66536}) {
      assertThrows(IllegalArgumentException.class, () -> socket.close(code, "x"), "close " + code);
      assertThrows(IllegalArgumentException.class, () -> socket.shutdown(code, "x"), "shutdown " + code);
    }
    await(socket.close(4999, "the last application code"));
    assertEquals(4999, nextFrame().closeCode());
  }

  @Test
  void queryCloseStatusTellsTheServersCloseOnlyOnceItWasDelivered() throws Exception {
    serve(WsWire.close(1000, "bye"), null, false);
    WebSocket socket = fx.open(server.port());
    awaitTrue(() -> WebSocketProbes.of(socket).serverCloseFrameRead());
    // read by the loop, not yet received by the application: as in WinHTTP, which reads only for
    // a receive, the status is not known yet
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, socket::queryCloseStatus).code());
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(8))));
    assertEquals(new CloseStatus(1000, "bye"), socket.queryCloseStatus());
    await(socket.close(1000, "ok"));
    assertEquals(new CloseStatus(1000, "bye"), socket.queryCloseStatus());
    socket.close();
    assertEquals(ErrorCode.INVALID_HANDLE,
        assertThrows(HandleException.class, socket::queryCloseStatus).code());
  }

  @Test
  void queryCloseStatusWorksAfterCloseCompleteWhenNoReceiveTookTheCloseFrame() throws Exception {
    serve(WsWire.text("unread"), WsWire.close(4000, "later"), true);
    WebSocket socket = fx.open(server.port());
    CompletableFuture<Void> close = socket.close(1000, "bye");
    assertEquals(8, nextFrame().opcode());
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, socket::queryCloseStatus).code());
    replyClose.countDown();
    await(close);
    assertEquals(new CloseStatus(4000, "later"), socket.queryCloseStatus());
  }

  // ------------------------------------------------------------------ handle close

  @Test
  void handleCloseSendsAGoingAwayCloseFrameBeforeDroppingTheConnection() throws Exception {
    serve(new byte[0], null, false);
    WebSocket socket = fx.open(server.port());
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(8));
    socket.close();
    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(pending).code());
    WsWire.Frame close = nextFrame();
    assertEquals(8, close.opcode());
    assertEquals(1001, close.closeCode());
    assertTrue(close.masked());
    assertEquals(-1, nextFrame().opcode());
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket REQUEST_ERROR WEB_SOCKET_RECEIVE OPERATION_CANCELLED
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void handleCloseDoesNotWaitForAServerThatReadsNothing() throws Exception {
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.holdSilently();
    });
    WebSocket socket = fx.open(server.port());
    CompletableFuture<Void> send = socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(64 << 20));
    socket.close();
    assertEquals(ErrorCode.OPERATION_CANCELLED, failure(send).code());
    fx.rec.awaitClosing(socket);
  }

  @Test
  void aCallbackMayReceiveAgainAndCloseTheHandleInsideItsOwnReadComplete() throws Exception {
    serve(WsWire.text("hello"), null, false);
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    RecordingCallback rec = RecordingCallback.builder().forwardTo((handle, context, event) -> {
      if (handle instanceof WebSocket socket && event instanceof StatusEvent.WebSocketReadComplete) {
        try {
          socket.receive(ByteBuffer.allocate(8)); // stays pending: the server sends nothing more
          socket.close();
        } catch (RuntimeException e) {
          thrown.add(e);
        }
      }
    }).build();
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    WebSocket socket = fx.upgrade(request, null);
    assertEquals(new WebSocketStatus(5, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(ByteBuffer.allocate(8))));
    rec.awaitClosing(socket);
    assertEquals(List.of(), thrown);
    assertEquals(List.of("websocket READ_COMPLETE 5 UTF8_MESSAGE",
        "websocket REQUEST_ERROR WEB_SOCKET_RECEIVE OPERATION_CANCELLED", "websocket HANDLE_CLOSING"),
        rec.lines().stream().filter(l -> l.startsWith("websocket")).collect(Collectors.toList()));
    assertTrue(socket.isClosed());
  }

  @Test
  void callbacksCanDriveTheWholeCloseFromInsideTheirOwnNotifications() throws Exception {
    // READ_COMPLETE(CLOSE) → queryCloseStatus and close(status) inside it; CLOSE_COMPLETE → close()
    serve(WsWire.close(4001, "server done"), WsWire.close(1000, "unused"), false);
    List<Object> seen = new CopyOnWriteArrayList<>();
    RecordingCallback rec = RecordingCallback.builder().forwardTo((handle, context, event) -> {
      if (!(handle instanceof WebSocket socket)) {
        return;
      }
      try {
        if (event instanceof StatusEvent.WebSocketReadComplete read
            && read.result().bufferType() == WebSocketBufferType.CLOSE) {
          seen.add(socket.queryCloseStatus());
          socket.close(4001, "echoed");
        } else if (event instanceof StatusEvent.CloseComplete) {
          socket.close();
        }
      } catch (RuntimeException e) {
        seen.add(e);
      }
    }).build();
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    WebSocket socket = fx.upgrade(request, null);
    socket.receive(ByteBuffer.allocate(8));
    rec.awaitClosing(socket);
    assertEquals(List.of(new CloseStatus(4001, "server done")), seen);
    assertEquals(List.of("websocket READ_COMPLETE 0 CLOSE", "websocket CLOSE_COMPLETE", "websocket HANDLE_CLOSING"),
        rec.lines().stream().filter(l -> l.startsWith("websocket")).collect(Collectors.toList()));
    WsWire.Frame close = nextFrame();
    assertEquals(4001, close.closeCode());
    assertEquals("echoed", new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8));
  }

  @Test
  void closingTheSessionLeavesTheWebSocketWorkingAndItsCloseEndsEverything() throws Exception {
    // rule 5 and winhttp-observed §6: closing the session does not break the websocket; the
    // session's HANDLE_CLOSING waits for the websocket's, and then every thread and socket is gone
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      while (true) {
        WsWire.Frame frame = WsWire.read(in);
        conn.write(frame(0x80 | frame.opcode(), frame.payload()));
        if (frame.opcode() == 8) {
          conn.drainUntilClientCloses();
          return;
        }
      }
    });
    WebSocket socket = fx.open(server.port());
    Request request = socket.parent();
    request.close();
    request.parent().close();
    fx.session.close();
    fx.rec.awaitClosing(request);
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, utf8("still here")));
    assertEquals(new WebSocketStatus(10, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(ByteBuffer.allocate(16))));
    await(socket.close(1000, "done"));
    socket.close();
    fx.rec.awaitClosing(fx.session);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        request   HANDLE_CLOSING
        websocket WRITE_COMPLETE 10 UTF8_MESSAGE
        websocket READ_COMPLETE 10 UTF8_MESSAGE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        connect   HANDLE_CLOSING
        session   HANDLE_CLOSING
        """);
    assertTrue(fx.session.isClosed());
  }

  // ------------------------------------------------------------------ the server going away

  @Test
  void theServersCloseFrameIsNotLostWhenItResetsTheConnectionUnderAPendingSend() throws Exception {
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      in.readNBytes(2); // the big send has started
      conn.write(WsWire.close(1000, "bye"));
      conn.reset(); // at once, with the client's data unread
    });
    WebSocket socket = fx.open(server.port());
    CompletableFuture<Void> send = socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(64 << 20));
    assertEquals(ErrorCode.CONNECTION_ERROR, failure(send).code());
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(8))));
    assertEquals(new CloseStatus(1000, "bye"), socket.queryCloseStatus());
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket REQUEST_ERROR WEB_SOCKET_SEND CONNECTION_ERROR
        websocket READ_COMPLETE 0 CLOSE
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void aServerFloodingPingsWhileReadingNothingQueuesAtMostOnePong() throws Exception {
    // RFC 6455 §5.5.3 lets a pong answer only the latest ping; queuing one per ping would let a
    // server that never reads grow the client's memory without bound
    int pings = 200_000;
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      byte[] ping = frame(0x89, new byte[125]);
      byte[] batch = new byte[ping.length * 1000];
      for (int i = 0; i < 1000; i++) {
        System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
      }
      for (int i = 0; i < pings / 1000; i++) {
        conn.write(batch);
      }
      conn.write(WsWire.text("done"));
      conn.holdSilently(); // never reads the pongs
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.SEND_TIMEOUT, dev.telltale.Timeouts.INFINITE); // the stalled pongs must not time out
    WebSocket socket = fx.upgrade(request, null);
    assertEquals(new WebSocketStatus(4, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(ByteBuffer.allocate(8))));
    int queued = WebSocketProbes.of(socket).controlFramesQueued();
    assertTrue(queued <= 1, () -> queued + " pongs queued for " + pings + " pings");
  }

  /** Polls state set by the loop thread; bounded, and only where no event marks the moment. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.onSpinWait();
    }
  }
}
