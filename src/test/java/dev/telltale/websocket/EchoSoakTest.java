package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages of random sizes up to 1 MiB (log-uniform, so most are small and a few are large), text
 * or binary, each sent in a random number of fragments and received into buffers of random sizes,
 * echoed and compared byte for byte: 10,000 through Node's ws, and 1,000 through MockWebServer,
 * whose OkHttp server moves large messages at only a few MB/s (10,000 would take two minutes), so
 * a soak also runs where node is missing.
 */
@ExtendWith(LeakCheck.class)
class EchoSoakTest {
  private static final int MAX_SIZE = 1 << 20;

  @StartStop final MockWebServer server = new MockWebServer();
  private final WsFixture fx = new WsFixture();

  @AfterEach
  void closeEverything() {
    fx.close();
  }

  @Test
  void tenThousandMessagesOfRandomSizeAndFragmentationComeBackIntactFromNodeWs() throws Exception {
    try (NodeWsServer node = NodeWsServer.start("off")) {
      WebSocket socket = fx.open(node.port());
      ByteBuffer banner = ByteBuffer.allocate(256);
      assertEquals(WebSocketBufferType.UTF8_MESSAGE, await(socket.receive(banner)).bufferType());
      soak(socket, 10_000);
    }
  }

  @Test
  void aThousandMessagesOfRandomSizeAndFragmentationComeBackIntactFromMockWebServer() throws Exception {
    EchoListener listener = new EchoListener(false, false);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(listener).build());
    WebSocket socket = fx.open(server.getPort());
    soak(socket, 1_000);
    assertEquals(1_000, listener.received.size());
  }

  private static void soak(WebSocket socket, int messages) throws Exception {
    Random random = new Random(20261124L);
    byte[] source = new byte[MAX_SIZE];
    random.nextBytes(source);
    for (int i = 0; i < source.length; i++) {
      source[i] = (byte) (' ' + (source[i] & 0x3F)); // ASCII: valid as text and as binary
    }
    byte[] received = new byte[MAX_SIZE];
    long bytes = 0;
    for (int m = 0; m < messages; m++) {
      int size = m == 0 ? MAX_SIZE : (int) Math.min(MAX_SIZE, Math.exp(random.nextDouble() * Math.log(MAX_SIZE + 1.0)) - 1);
      int offset = random.nextInt(MAX_SIZE - size + 1);
      boolean text = random.nextBoolean();
      sendInFragments(socket, ByteBuffer.wrap(source, offset, size), text, random);
      int got = receiveWhole(socket, received, text, random);
      assertEquals(size, got, "message " + m);
      assertArrayEquals(java.util.Arrays.copyOfRange(source, offset, offset + size),
          java.util.Arrays.copyOf(received, got), "message " + m);
      bytes += size;
    }
    await(socket.close(1000, "done"));
    System.out.println("echoed " + messages + " messages, " + bytes + " bytes each way");
  }

  private static void sendInFragments(WebSocket socket, ByteBuffer message, boolean text, Random random)
      throws Exception {
    int pieces = 1 + random.nextInt(4);
    for (int p = 1; p < pieces; p++) {
      int n = message.remaining() == 0 ? 0 : random.nextInt(message.remaining() + 1);
      ByteBuffer piece = message.slice(message.position(), n);
      message.position(message.position() + n);
      await(socket.send(text ? WebSocketBufferType.UTF8_FRAGMENT : WebSocketBufferType.BINARY_FRAGMENT, piece));
    }
    await(socket.send(text ? WebSocketBufferType.UTF8_MESSAGE : WebSocketBufferType.BINARY_MESSAGE, message));
  }

  private static int receiveWhole(WebSocket socket, byte[] into, boolean text, Random random) throws Exception {
    int total = 0;
    WebSocketBufferType fragment = text ? WebSocketBufferType.UTF8_FRAGMENT : WebSocketBufferType.BINARY_FRAGMENT;
    WebSocketBufferType last = text ? WebSocketBufferType.UTF8_MESSAGE : WebSocketBufferType.BINARY_MESSAGE;
    while (true) {
      int room = Math.min(into.length - total, 1 + random.nextInt(256 * 1024));
      ByteBuffer buffer = ByteBuffer.wrap(into, total, Math.max(room, 1));
      WebSocketStatus status = await(socket.receive(buffer));
      total += status.bytesTransferred();
      if (status.bufferType() == last) {
        return total;
      }
      assertEquals(fragment, status.bufferType());
    }
  }
}
