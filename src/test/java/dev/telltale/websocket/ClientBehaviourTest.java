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
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.WebSocketProbes;
import dev.telltale.internal.WsProbe;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RFC 6455 client duties and the engine's edges, against a raw scripted server (rules 24–28). */
@ExtendWith(LeakCheck.class)
class ClientBehaviourTest {
  private final WsFixture fx = new WsFixture();
  private RawServer server;
  private final LinkedBlockingQueue<WsWire.Frame> fromClient = new LinkedBlockingQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeEverything() {
    release.countDown();
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  /** A server that writes {@code script} after the 101 (in the same write) and records frames. */
  private void serve(byte[] afterHandshake) throws Exception {
    server = RawServer.start(conn -> {
      String head = conn.readHead();
      conn.write(concat(WsWire.response(head, WsWire.accept(WsWire.header(head, "Sec-WebSocket-Key")), "")
          .getBytes(StandardCharsets.ISO_8859_1), afterHandshake));
      InputStream in = conn.socket().getInputStream();
      while (true) {
        WsWire.Frame frame = WsWire.read(in);
        fromClient.add(frame);
        if (frame.opcode() == 8) {
          release.await(20, TimeUnit.SECONDS);
          return;
        }
      }
    });
  }

  private WsWire.Frame nextFrame() throws InterruptedException {
    WsWire.Frame frame = fromClient.poll(20, TimeUnit.SECONDS);
    assertTrue(frame != null, "the client sent no frame within 20 s");
    return frame;
  }

  @Test
  void rule24_bytesSentRightAfterThe101HeadAreReceived() throws Exception {
    serve(WsWire.text("first"));
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    assertEquals(new WebSocketStatus(5, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(buffer)));
    assertEquals("first", new String(buffer.array(), 0, 5, StandardCharsets.UTF_8));
  }

  @Test
  void rule24_aWrongSecWebSocketAcceptIsInvalidServerResponse() throws Exception {
    server = RawServer.start(conn -> {
      String head = conn.readHead();
      conn.write(WsWire.response(head, WsWire.accept("dGhlIHNhbXBsZSBub25jZQ=="), ""));
      conn.drainUntilClientCloses();
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    await(request.sendRequest());
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, failure(request.receiveResponse()).code());
    HandleException noUpgrade = assertThrows(HandleException.class, () -> request.completeUpgrade(null));
    assertEquals(ErrorCode.INCORRECT_HANDLE_STATE, noUpgrade.code());
  }

  @Test
  void rule24_anExtensionThatWasNotOfferedIsInvalidServerResponse() throws Exception {
    server = RawServer.start(conn -> {
      String head = conn.readHead();
      conn.write(WsWire.response(head, WsWire.accept(WsWire.header(head, "Sec-WebSocket-Key")),
          "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
      conn.drainUntilClientCloses();
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    await(request.sendRequest());
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, failure(request.receiveResponse()).code());
  }

  @Test
  void rule25_aMessageLargerThanTheBufferComesAsFragmentsThenMessage() throws Exception {
    byte[] payload = new byte[256];
    Arrays.fill(payload, (byte) 7);
    serve(frame(0x82, payload));
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(128);
    assertEquals(new WebSocketStatus(128, WebSocketBufferType.BINARY_FRAGMENT), await(socket.receive(buffer)));
    buffer.clear();
    assertEquals(new WebSocketStatus(128, WebSocketBufferType.BINARY_MESSAGE), await(socket.receive(buffer)));
  }

  @Test
  void rule28_pingsAreAnsweredWithPongsAndControlFramesMayInterleaveAFragmentedMessage() throws Exception {
    byte[] ping = "are you there".getBytes(StandardCharsets.UTF_8);
    serve(concat(frame(0x01, "Hel".getBytes(StandardCharsets.UTF_8)), frame(0x89, ping),
        frame(0x00, "lo, ".getBytes(StandardCharsets.UTF_8)),
        frame(0x80, "wörld".getBytes(StandardCharsets.UTF_8))));
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    WebSocketStatus status = await(socket.receive(buffer));
    assertEquals(WebSocketBufferType.UTF8_MESSAGE, status.bufferType());
    assertEquals("Hello, wörld", new String(buffer.array(), 0, status.bytesTransferred(), StandardCharsets.UTF_8));
    WsWire.Frame pong = nextFrame();
    assertEquals(10, pong.opcode());
    assertTrue(pong.masked() && pong.fin());
    assertArrayEquals(ping, pong.payload());
  }

  @Test
  void rule28_everyFrameIsMaskedWithAFreshKeyAndLargeMessagesAreSplitAtTheSendBufferSize() throws Exception {
    serve(new byte[0]);
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_SEND_BUFFER_SIZE, 1000);
    WebSocket socket = fx.upgrade(request, null);
    byte[] message = new byte[2500];
    new java.util.Random(5).nextBytes(message);
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.wrap(message)));
    await(socket.send(WebSocketBufferType.UTF8_FRAGMENT, ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8))));
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("cd".getBytes(StandardCharsets.UTF_8))));
    WsWire.Frame f1 = nextFrame();
    WsWire.Frame f2 = nextFrame();
    WsWire.Frame f3 = nextFrame();
    assertEquals(java.util.List.of(2, 0, 0), java.util.List.of(f1.opcode(), f2.opcode(), f3.opcode()));
    assertEquals(java.util.List.of(false, false, true), java.util.List.of(f1.fin(), f2.fin(), f3.fin()));
    assertArrayEquals(message, concat(f1.payload(), f2.payload(), f3.payload()));
    WsWire.Frame t1 = nextFrame();
    WsWire.Frame t2 = nextFrame();
    assertEquals(1, t1.opcode());
    assertEquals(false, t1.fin());
    assertEquals(0, t2.opcode());
    assertEquals(true, t2.fin());
    assertEquals("abcd", t1.text() + t2.text());
    long distinct = java.util.stream.Stream.of(f1, f2, f3, t1, t2).mapToInt(WsWire.Frame::maskKey).distinct().count();
    assertTrue(java.util.stream.Stream.of(f1, f2, f3, t1, t2).allMatch(WsWire.Frame::masked));
    assertTrue(distinct >= 4, "mask keys are drawn afresh for every frame");
    assertEquals(0, f1.rsv());
  }

  @Test
  void rule26_afterTheServersCloseSendIsRefusedAndCloseCompletesOnceOurFrameIsOut() throws Exception {
    serve(WsWire.close(1001, "going away"));
    WebSocket socket = fx.open(server.port());
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(8))));
    assertEquals(new CloseStatus(1001, "going away"), socket.queryCloseStatus());
    assertEquals(ErrorCode.INVALID_OPERATION, assertThrows(HandleException.class,
        () -> socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1))).code());
    assertEquals(ErrorCode.INVALID_OPERATION,
        assertThrows(HandleException.class, () -> socket.receive(ByteBuffer.allocate(8))).code());
    await(socket.close(1000, "ok"));
    WsWire.Frame close = nextFrame();
    assertEquals(8, close.opcode());
    assertEquals(1000, close.closeCode());
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket READ_COMPLETE 0 CLOSE
        websocket CLOSE_COMPLETE
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void rule27_closeFailsWithTimeoutWhenTheServerNeverAnswers() throws Exception {
    serve(new byte[0]);
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.RECEIVE_TIMEOUT, Duration.ofMillis(300));
    WebSocket socket = fx.upgrade(request, null);
    assertEquals(ErrorCode.TIMEOUT, failure(socket.close(1000, "bye")).code());
    assertEquals(1000, nextFrame().closeCode());
  }

  @Test
  void rule18_aClosedWebSocketGivesItsConnectionPlaceBackUnderMaxConnsPerServer() throws Exception {
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      WsWire.Frame close = WsWire.readUntilClose(in);
      conn.write(frame(0x88, close.payload()));
      conn.drainUntilClientCloses();
    });
    fx.session.setOption(Option.MAX_CONNS_PER_SERVER, 1);
    dev.telltale.Connect connect = fx.connect(server.port());
    for (int i = 0; i < 3; i++) { // with the place not given back, the second upgrade would queue forever
      WebSocket socket = fx.upgrade(fx.upgradeRequest(connect, "/", false), null);
      await(socket.close(1000, "next"));
      assertEquals(new CloseStatus(1000, "next"), socket.queryCloseStatus());
    }
    assertEquals(3, server.connections());
  }

  @Test
  void readingPausesWhileMessagesWaitForReceivesAndResumesWithThem() throws Exception {
    int messages = 40;
    byte[][] sent = new byte[messages][];
    java.util.Random random = new java.util.Random(9);
    byte[] all = new byte[0];
    for (int i = 0; i < messages; i++) {
      sent[i] = new byte[64 * 1024];
      random.nextBytes(sent[i]);
      all = concat(all, frame(0x82, sent[i]));
    }
    serve(all); // 2.5 MiB, far more than the socket buffers hold
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_RECEIVE_BUFFER_SIZE, 4096); // pauses past 16 KiB
    WebSocket socket = fx.upgrade(request, null);
    WsProbe engine = WebSocketProbes.of(socket);
    awaitTrue(() -> engine.bufferedWhilePaused() > 0);
    // at most the limit plus what one read of the connection's 16 KiB buffer added
    assertTrue(engine.bufferedWhilePaused() < 16 * 1024 + 16 * 1024, () -> "buffered " + engine.bufferedWhilePaused());
    for (int i = 0; i < messages; i++) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      assertEquals(new WebSocketStatus(64 * 1024, WebSocketBufferType.BINARY_MESSAGE), await(socket.receive(buffer)));
      assertArrayEquals(sent[i], buffer.array(), "message " + i);
    }
  }

  @Test
  void endOfStreamWithoutACloseFrameIsAConnectionError() throws Exception {
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.write(WsWire.text("last words"));
      conn.close();
    });
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    assertEquals(new WebSocketStatus(10, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(buffer)));
    assertEquals(ErrorCode.CONNECTION_ERROR, failure(socket.receive(buffer)).code());
  }

  @Test
  void keepaliveBelow15SecondsIsRefusedAsInWinHttp() throws Exception {
    serve(new byte[0]);
    WebSocket socket = fx.open(server.port());
    assertThrows(IllegalArgumentException.class,
        () -> socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(14)));
    socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(15));
    assertEquals(Duration.ofSeconds(15), socket.queryOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL));
  }

  @Test
  void keepalivePingsAreScheduledOnTheLoopAtTheInterval() throws Exception {
    serve(new byte[0]);
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(20));
    WebSocket socket = fx.upgrade(request, null);
    WsProbe engine = WebSocketProbes.of(socket);
    awaitTrue(() -> engine.keepaliveInterval().equals(Duration.ofSeconds(20)));
    engine.fireKeepalive(); // the deadline's action, without waiting 20 s
    WsWire.Frame ping = nextFrame();
    assertEquals(9, ping.opcode());
    assertTrue(ping.masked());
    assertEquals(1, engine.pingsSent());
    socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ZERO);
    awaitTrue(() -> engine.keepaliveInterval().isZero());
    socket.setOption(Option.WEB_SOCKET_KEEPALIVE_INTERVAL, Duration.ofSeconds(15));
    awaitTrue(() -> engine.keepaliveInterval().equals(Duration.ofSeconds(15)));
  }

  /** Polls a condition set by the loop thread; bounded, and only for state with no event to wait on. */
  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.onSpinWait();
    }
  }
}
