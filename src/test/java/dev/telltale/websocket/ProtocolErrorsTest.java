package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.failure;
import static dev.telltale.websocket.WsWire.concat;
import static dev.telltale.websocket.WsWire.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.WebSocket;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 28: each way a server can break RFC 6455 fails the connection with the right close code in
 * the client's close frame and a REQUEST_ERROR, against a raw scripted server.
 */
@ExtendWith(LeakCheck.class)
class ProtocolErrorsTest {
  private final WsFixture fx = new WsFixture();
  private RawServer server;

  @AfterEach
  void closeEverything() {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> violations() {
    byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
    return Stream.of(
        Arguments.of("masked server frame", frame(0x81, hi, 0x01020304), 1002),
        Arguments.of("RSV1 without permessage-deflate", frame(0xC1, hi), 1002),
        Arguments.of("RSV2 set", frame(0xA1, hi), 1002),
        Arguments.of("RSV3 set", frame(0x91, hi), 1002),
        Arguments.of("unknown data opcode 3", frame(0x83, hi), 1002),
        Arguments.of("unknown control opcode 11", frame(0x8B, hi), 1002),
        Arguments.of("ping of 126 bytes", frame(0x89, new byte[126]), 1002),
        Arguments.of("fragmented ping", frame(0x09, hi), 1002),
        Arguments.of("continuation without a message", frame(0x80, hi), 1002),
        Arguments.of("new message inside a fragmented one", concat(frame(0x01, hi), frame(0x81, hi)), 1002),
        Arguments.of("length not minimally encoded", new byte[] {(byte) 0x81, 126, 0, 2, 'h', 'i'}, 1002),
        Arguments.of("invalid UTF-8 across fragments",
            concat(frame(0x01, new byte[] {(byte) 0xE2, (byte) 0x82}), frame(0x80, new byte[] {0x28})), 1007),
        Arguments.of("UTF-8 sequence cut at the message end", frame(0x81, new byte[] {(byte) 0xE2, (byte) 0x82}), 1007),
        Arguments.of("close code 1005 on the wire", WsWire.close(1005, ""), 1002),
        Arguments.of("close code 999", WsWire.close(999, ""), 1002),
        Arguments.of("close code 2000 (unassigned)", WsWire.close(2000, ""), 1002),
        Arguments.of("close payload of one byte", frame(0x88, new byte[] {3}), 1002),
        Arguments.of("close reason not UTF-8",
            frame(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xC0, (byte) 0xAF}), 1007));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("violations")
  void rule28_aBrokenRuleFailsTheConnectionWithItsCloseCode(String what, byte[] bad, int expectedCode)
      throws Exception {
    CompletableFuture<WsWire.Frame> clientClose = new CompletableFuture<>();
    CompletableFuture<Boolean> connectionClosed = new CompletableFuture<>();
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.write(bad);
      clientClose.complete(WsWire.readUntilClose(conn.socket().getInputStream()));
      conn.drainUntilClientCloses(); // returns when the client closes the connection
      connectionClosed.complete(true);
    });
    WebSocket socket = fx.open(server.port());
    HttpException error = failure(socket.receive(ByteBuffer.allocate(1024)));
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, error.code());
    WsWire.Frame close = clientClose.get(20, TimeUnit.SECONDS);
    assertTrue(close.masked());
    assertEquals(expectedCode, close.closeCode(), () -> what + ": " + close.text());
    assertTrue(connectionClosed.get(20, TimeUnit.SECONDS), "the client drops the connection after its close frame");
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable() + """
        websocket REQUEST_ERROR WEB_SOCKET_RECEIVE INVALID_SERVER_RESPONSE
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void rule28_aMessageLargerThanTheLimitFailsWith1009() throws Exception {
    CompletableFuture<WsWire.Frame> clientClose = new CompletableFuture<>();
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.write(concat(frame(0x02, new byte[600]), frame(0x80, new byte[600])));
      clientClose.complete(WsWire.readUntilClose(conn.socket().getInputStream()));
      conn.drainUntilClientCloses();
    });
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_MAX_MESSAGE_SIZE, 1000L);
    WebSocket socket = fx.upgrade(request, null);
    ByteBuffer big = ByteBuffer.allocate(4096);
    HttpException error = failure(socket.receive(big));
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, error.code());
    assertEquals(1009, clientClose.get(20, TimeUnit.SECONDS).closeCode());
  }

  @Test
  void rule28_aFrameLargerThanTheLimitFailsWith1009BeforeItsPayloadArrives() throws Exception {
    CompletableFuture<WsWire.Frame> clientClose = new CompletableFuture<>();
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      // only the header of a 1 GiB frame
      conn.write(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0x40, 0, 0, 0});
      clientClose.complete(WsWire.readUntilClose(conn.socket().getInputStream()));
      conn.drainUntilClientCloses();
    });
    WebSocket socket = fx.open(server.port());
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, failure(socket.receive(ByteBuffer.allocate(64))).code());
    assertEquals(1009, clientClose.get(20, TimeUnit.SECONDS).closeCode());
  }

  @Test
  void rule28_laterOperationsFailWithTheStoredErrorAfterAViolation() throws Exception {
    CompletableFuture<WsWire.Frame> clientClose = new CompletableFuture<>();
    server = RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      conn.write(frame(0x83, new byte[0]));
      clientClose.complete(WsWire.readUntilClose(conn.socket().getInputStream()));
      conn.drainUntilClientCloses();
    });
    WebSocket socket = fx.open(server.port());
    assertEquals(1002, clientClose.get(20, TimeUnit.SECONDS).closeCode()); // with no receive pending
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, failure(socket.receive(ByteBuffer.allocate(64))).code());
    assertEquals(ErrorCode.INVALID_SERVER_RESPONSE,
        failure(socket.send(dev.telltale.WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1))).code());
  }
}
