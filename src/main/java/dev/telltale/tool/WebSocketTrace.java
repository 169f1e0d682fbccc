package dev.telltale.tool;

import dev.telltale.CloseStatus;
import dev.telltale.Connect;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tracer's {@code ws://} / {@code wss://} mode: upgrade (the request is closed right after, as
 * WinHTTP allows), send one message (text if it is valid UTF-8, else binary), print what comes back
 * until the echo of that message (at most {@value #MAX_MESSAGES} messages, each within {@value
 * #WAIT_SECONDS} s), then the close handshake and the handle close. The status events are printed
 * by the {@link EventPrinter} as they happen.
 */
final class WebSocketTrace {
  static final int MAX_MESSAGES = 20;
  static final int WAIT_SECONDS = 10;
  private static final int SHOWN_BYTES = 200;

  private final EventPrinter printer;
  private final PrintStream out;
  private final boolean json;

  WebSocketTrace(EventPrinter printer, PrintStream out, boolean json) {
    this.printer = printer;
    this.out = out;
    this.json = json;
  }

  /** Runs the exchange; returns the tracer's exit status. */
  int run(Connect connect, String path, boolean secure, List<Options.Header> headers, byte[] message)
      throws InterruptedException {
    Request request = secure ? connect.openRequest("GET", path, OpenRequestFlag.SECURE)
        : connect.openRequest("GET", path);
    WebSocket socket = null;
    try {
      request.setOption(Option.UPGRADE_TO_WEB_SOCKET, true);
      for (Options.Header header : headers) {
        request.addHeader(header.name(), header.value());
      }
      request.sendRequest().get();
      ResponseHeaders response = request.receiveResponse().get();
      text("< " + response.version() + " " + response.statusCode() + " " + response.reasonPhrase());
      if (response.statusCode() != 101) {
        text("error: the server did not switch to the websocket protocol");
        return Tracer.REQUEST_FAILED;
      }
      socket = request.completeUpgrade(null);
      request.close();
      printer.awaitClosing(request);
      exchange(socket, message);
      socket.close(1000, "telltale tracer done").get(WAIT_SECONDS, TimeUnit.SECONDS);
      CloseStatus status = socket.queryCloseStatus();
      text("closed: " + status.status() + (status.reason().isEmpty() ? "" : " " + status.reason()));
      return Tracer.OK;
    } catch (ExecutionException e) {
      text("error: " + e.getCause());
      return Tracer.REQUEST_FAILED;
    } catch (TimeoutException e) {
      text("error: no answer within " + WAIT_SECONDS + " s");
      return Tracer.REQUEST_FAILED;
    } finally {
      request.close();
      printer.awaitClosing(request);
      if (socket != null) {
        socket.close();
        printer.awaitClosing(socket);
      }
    }
  }

  private void exchange(WebSocket socket, byte[] message)
      throws InterruptedException, ExecutionException, TimeoutException {
    boolean utf8 = decode(message) != null;
    socket.send(utf8 ? WebSocketBufferType.UTF8_MESSAGE : WebSocketBufferType.BINARY_MESSAGE,
        ByteBuffer.wrap(message)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    text("> " + show(message, utf8));
    for (int i = 0; i < MAX_MESSAGES; i++) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      WebSocketStatus status;
      do {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        status = socket.receive(buffer).get(WAIT_SECONDS, TimeUnit.SECONDS);
        received.write(buffer.array(), 0, status.bytesTransferred());
      } while (status.bufferType() == WebSocketBufferType.UTF8_FRAGMENT
          || status.bufferType() == WebSocketBufferType.BINARY_FRAGMENT);
      if (status.bufferType() == WebSocketBufferType.CLOSE) {
        text("< (the server closed)");
        return;
      }
      byte[] got = received.toByteArray();
      text("< " + show(got, status.bufferType() == WebSocketBufferType.UTF8_MESSAGE));
      if (Arrays.equals(got, message)) {
        return; // the echo
      }
    }
  }

  private static String show(byte[] bytes, boolean utf8) {
    String text = utf8 ? decode(bytes) : null;
    if (text == null) {
      return "(" + bytes.length + " bytes binary)";
    }
    return text.length() > SHOWN_BYTES ? text.substring(0, SHOWN_BYTES) + "... (" + bytes.length
        + " bytes)" : text;
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private void text(String line) {
    if (!json) {
      synchronized (out) {
        out.println(line);
      }
    }
  }
}
