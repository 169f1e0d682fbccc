package dev.telltale.websocket;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The server side of MockWebServer's websocket upgrade in these tests: optionally greets with a
 * text banner (as WinHTTP's test server does), echoes every message, and answers the client's
 * close frame with 1000 "success" — only once {@link #allowCloseReply()} was called when built
 * with {@code gatedClose}, so a test can observe the state between its close and the reply.
 */
final class EchoListener extends WebSocketListener {
  static final String BANNER = "Request served by MockWebServer";

  private final boolean banner;
  private final CountDownLatch closeGate;
  final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  volatile int closeCode = -1;
  volatile String closeReason;
  final CountDownLatch closing = new CountDownLatch(1);

  EchoListener(boolean banner, boolean gatedClose) {
    this.banner = banner;
    this.closeGate = new CountDownLatch(gatedClose ? 1 : 0);
  }

  void allowCloseReply() {
    closeGate.countDown();
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    if (banner) {
      webSocket.send(BANNER);
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    received.add(text);
    webSocket.send(text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    received.add(bytes);
    webSocket.send(bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    closeCode = code;
    closeReason = reason;
    closing.countDown();
    try {
      if (closeGate.await(20, TimeUnit.SECONDS)) {
        webSocket.close(1000, "success");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
