package dev.telltale.lifecycle;

import dev.telltale.Connect;
import dev.telltale.Handle;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.AsyncAssertions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One session with a {@link RecordingCallback} installed before any child exists, plus the handles
 * opened through it, so a test that fails half-way still closes everything (child first) for
 * LeakCheck.
 */
final class Fixture implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  final RecordingCallback rec = new RecordingCallback();
  final Session session;
  private final List<Handle> opened = new ArrayList<>();

  Fixture() {
    this(Session.builder());
  }

  Fixture(Session.Builder builder) {
    session = builder.build();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
  }

  Connect connect(int port) {
    Connect connect = session.connect(HOST, port);
    opened.add(connect);
    return connect;
  }

  Request open(Connect connect, String method, String path) {
    Request request = connect.openRequest(method, path);
    opened.add(request);
    return request;
  }

  /** Closes the request and waits for its HANDLE_CLOSING. */
  void closeAndAwait(Request request) {
    request.close();
    rec.awaitClosing(request);
  }

  /**
   * Closes every handle opened here, newest first, then the session, waiting for each
   * HANDLE_CLOSING before the next close so the order of the closings is fixed.
   */
  void closeAllAndAwait() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
      rec.awaitClosing(opened.get(i));
    }
    session.close();
    rec.awaitClosing(session);
  }

  @Override
  public void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    session.close();
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("operation did not complete within 20 s", e);
    }
  }

  /** The HttpException a future failed with. */
  static HttpException failure(CompletableFuture<?> future) {
    return AsyncAssertions.awaitFailure(future);
  }

  /** Reads the body with readData and a buffer of {@code bufferSize} until READ_COMPLETE 0. */
  static String readAll(Request request, int bufferSize) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
      int n = await(request.readData(buffer));
      if (n == 0) {
        return body.toString(StandardCharsets.ISO_8859_1);
      }
      body.write(buffer.array(), 0, n);
    }
  }

  static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** The recorded lines of one handle (by alias), without the alias column. */
  List<String> linesOf(String alias) {
    return rec.lines().stream().filter(l -> l.startsWith(alias + " "))
        .map(l -> l.substring(alias.length() + 1)).collect(Collectors.toList());
  }

  /** The standard events of a request on a new connection to 127.0.0.1 (rule 12). */
  static String freshConnection(String alias) {
    return alias + " RESOLVING_NAME 127.0.0.1\n"
        + alias + " NAME_RESOLVED 127.0.0.1\n"
        + alias + " CONNECTING_TO_SERVER 127.0.0.1\n"
        + alias + " CONNECTED_TO_SERVER 127.0.0.1\n";
  }
}
