package dev.telltale.lifecycle;

import dev.telltale.Connect;
import dev.telltale.Handle;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.RecordingSessionFixture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One session with a {@link RecordingCallback} installed before any child exists, plus the handles
 * opened through it, so a test that fails half-way still closes everything (child first) for
 * LeakCheck.
 */
final class Fixture extends RecordingSessionFixture {
  Fixture() {
    this(Session.builder());
  }

  Fixture(Session.Builder builder) {
    super(builder);
  }

  Connect connect(int port) {
    return connect(HOST, port);
  }

  Request open(Connect connect, String method, String path) {
    return track(connect.openRequest(method, path));
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
    List<Handle> opened = opened();
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
      rec.awaitClosing(opened.get(i));
    }
    session.close();
    rec.awaitClosing(session);
  }

  @Override
  public void close() {
    closeOpenedThenSession();
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
