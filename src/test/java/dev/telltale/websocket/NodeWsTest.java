package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CloseStatus;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketProbes;
import dev.telltale.WebSocketStatus;
import dev.telltale.internal.ws.PerMessageDeflate;
import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against Node's {@code ws}, an independently written server: plain echo, and permessage-deflate
 * (RFC 7692) with and without context takeover.
 */
@ExtendWith(LeakCheck.class)
class NodeWsTest {
  private final WsFixture fx = new WsFixture();
  private NodeWsServer server;

  @AfterEach
  void closeEverything() throws Exception {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  private WebSocket open(String mode, boolean offerDeflate) throws Exception {
    server = NodeWsServer.start(mode);
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_PERMESSAGE_DEFLATE, offerDeflate);
    return fx.upgrade(request, null);
  }

  private static String receiveText(WebSocket socket) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    WebSocketStatus status = await(socket.receive(buffer));
    assertEquals(WebSocketBufferType.UTF8_MESSAGE, status.bufferType());
    return new String(buffer.array(), 0, status.bytesTransferred(), StandardCharsets.UTF_8);
  }

  private static byte[] echo(WebSocket socket, byte[] message, int bufferSize) throws Exception {
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.wrap(message)));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    WebSocketStatus status;
    do {
      ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
      status = await(socket.receive(buffer));
      got.write(buffer.array(), 0, status.bytesTransferred());
    } while (status.bufferType() == WebSocketBufferType.BINARY_FRAGMENT);
    assertEquals(WebSocketBufferType.BINARY_MESSAGE, status.bufferType());
    return got.toByteArray();
  }

  @Test
  void echoAndCloseHandshakeWithoutExtensions() throws Exception {
    WebSocket socket = open("off", false);
    assertEquals("hello from ws; extensions offered: ", receiveText(socket));
    assertFalse(socket.isCompressed());
    byte[] message = new byte[300_000];
    new Random(3).nextBytes(message);
    assertArrayEquals(message, echo(socket, message, 64 * 1024));
    await(socket.send(WebSocketBufferType.UTF8_FRAGMENT, ByteBuffer.wrap("grüß ".getBytes(StandardCharsets.UTF_8))));
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("dich".getBytes(StandardCharsets.UTF_8))));
    assertEquals("grüß dich", receiveText(socket));
    await(socket.close(1000, "bye"));
    assertEquals(new CloseStatus(1000, "bye"), socket.queryCloseStatus());
  }

  @ParameterizedTest(name = "server mode {0}")
  @ValueSource(strings = {"on", "no-context"})
  void permessageDeflateIsNegotiatedAndMessagesRoundTrip(String mode) throws Exception {
    WebSocket socket = open(mode, true);
    assertTrue(receiveText(socket).startsWith("hello from ws; extensions offered: permessage-deflate"));
    assertTrue(socket.isCompressed());
    PerMessageDeflate deflate = WebSocketProbes.of(socket).deflate();
    boolean noContext = mode.equals("no-context");
    assertEquals(noContext, deflate.serverNoContextTakeover());
    assertEquals(noContext, deflate.clientNoContextTakeover());
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      // compressible text-like bytes: with context takeover later messages reuse the window
      byte[] message = new byte[1 + random.nextInt(200_000)];
      for (int j = 0; j < message.length; j++) {
        message[j] = (byte) ('a' + (j * 7 + i) % 13);
      }
      assertArrayEquals(message, echo(socket, message, 1 + random.nextInt(70_000)), "message " + i);
    }
    byte[] noise = new byte[100_000];
    random.nextBytes(noise);
    assertArrayEquals(noise, echo(socket, noise, 8192));
    await(socket.close(1000, "done"));
  }

  @Test
  void withoutTheOptionNoExtensionIsOffered() throws Exception {
    WebSocket socket = open("on", false);
    assertEquals("hello from ws; extensions offered: ", receiveText(socket));
    assertFalse(socket.isCompressed());
    await(socket.close(1000, "done"));
  }
}
