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

/**
 * permessage-deflate with only {@code server_no_context_takeover} (Node ws with {@code
 * serverNoContextTakeover: true} and client context takeover allowed): the server resets its
 * compressor per message while ours keeps its window, so both directions use different rules in
 * one connection; a mix-up breaks the server's inflate or ours within a few messages.
 */
@ExtendWith(LeakCheck.class)
class NodeWsReviewTest {
  private final WsFixture fx = new WsFixture();
  private NodeWsServer server;

  @AfterEach
  void closeEverything() throws Exception {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  private static byte[] echo(WebSocket socket, WebSocketBufferType type, byte[] message, int bufferSize)
      throws Exception {
    await(socket.send(type, ByteBuffer.wrap(message)));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    WebSocketStatus status;
    do {
      ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
      status = await(socket.receive(buffer));
      got.write(buffer.array(), 0, status.bytesTransferred());
    } while (status.bufferType() == WebSocketBufferType.BINARY_FRAGMENT
        || status.bufferType() == WebSocketBufferType.UTF8_FRAGMENT);
    assertEquals(type, status.bufferType());
    return got.toByteArray();
  }

  @Test
  void serverNoContextTakeoverAloneIsNegotiatedAndHonouredBothWays() throws Exception {
    server = NodeWsServer.start("server-no-context");
    Request request = fx.upgradeRequest(fx.connect(server.port()), "/", false);
    request.setOption(Option.WEB_SOCKET_PERMESSAGE_DEFLATE, true);
    WebSocket socket = fx.upgrade(request, null);
    ByteBuffer banner = ByteBuffer.allocate(256);
    WebSocketStatus hello = await(socket.receive(banner));
    assertTrue(new String(banner.array(), 0, hello.bytesTransferred(), StandardCharsets.UTF_8)
        .startsWith("hello from ws; extensions offered: permessage-deflate"));
    PerMessageDeflate deflate = WebSocketProbes.of(socket).deflate();
    assertTrue(deflate.serverNoContextTakeover());
    assertFalse(deflate.clientNoContextTakeover());
    Random random = new Random(13);
    String phrase = "the same words again and again, so that a kept window pays off; ";
    for (int i = 0; i < 40; i++) {
      // repeated text: our deflater refers back into earlier messages, the server's must not
      byte[] text = phrase.repeat(1 + random.nextInt(2000)).concat("#" + i).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(text, echo(socket, WebSocketBufferType.UTF8_MESSAGE, text, 1 + random.nextInt(50_000)),
          "text message " + i);
      byte[] noise = new byte[random.nextInt(40_000)];
      random.nextBytes(noise);
      assertArrayEquals(noise, echo(socket, WebSocketBufferType.BINARY_MESSAGE, noise, 16 * 1024), "binary " + i);
    }
    await(socket.close(1000, "done"));
    assertEquals(new CloseStatus(1000, "done"), socket.queryCloseStatus());
  }
}
