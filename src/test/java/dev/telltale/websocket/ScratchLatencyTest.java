package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;

import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import java.nio.ByteBuffer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class ScratchLatencyTest {
  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void latency() throws Exception {
    try (WsFixture fx = new WsFixture()) {
      server.enqueue(new MockResponse.Builder().webSocketUpgrade(new EchoListener(false, false)).build());
      WebSocket socket = fx.open(server.getPort());
      for (int size : new int[] {10, 1000, 100_000}) {
        for (int frag = 0; frag < 2; frag++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < 200; i++) {
            if (frag == 1) {
              await(socket.send(WebSocketBufferType.BINARY_FRAGMENT, ByteBuffer.allocate(size / 2)));
            }
            await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(size)));
            ByteBuffer b = ByteBuffer.allocate(200_000);
            await(socket.receive(b));
          }
          System.out.println("size " + size + " frag " + frag + ": " + (System.nanoTime() - t0) / 200 / 1000 + " us/msg");
        }
      }
      await(socket.close(1000, ""));
    }
  }
}
