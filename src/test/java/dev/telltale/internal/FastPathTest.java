package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fast paths added for speed must not change what the application receives: a large body
 * read straight from the socket into the caller's buffer (heap or direct) stops exactly at the
 * body's end, so the next response on the connection is intact; a close-delimited body read the
 * same way is whole; a fixed-length body cut short is still a truncation (CONNECTION_ERROR, rule 23).
 */
@ExtendWith(LeakCheck.class)
class FastPathTest {
  private static final int BIG = 300_000;

  private static byte[] body(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] head(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  /** Opens a GET on {@code connect}, sends it and receives the head. */
  private static Request sent(Connect connect, String path) throws Exception {
    Request request = connect.openRequest("GET", path);
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    return request;
  }

  /** Reads the whole body with a buffer of {@code size} bytes, direct or not. */
  private static byte[] readAll(Request request, int size, boolean direct) throws Exception {
    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int n; (n = await(request.readData(buffer.clear()))) > 0; ) {
      buffer.flip();
      byte[] chunk = new byte[n];
      buffer.get(chunk);
      out.write(chunk);
    }
    return out.toByteArray();
  }

  @Test
  void largeFixedLengthBodiesReadIntoBigBuffersStopAtTheBodysEnd() throws Exception {
    byte[] first = body(BIG, 1);
    byte[] second = body(BIG, 2);
    try (RawServer server = RawServer.start(c -> {
      c.readHead();
      // both responses at once: the second one's bytes are already behind the first body
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(head("HTTP/1.1 200 OK\r\nContent-Length: " + BIG + "\r\n\r\n"));
      both.write(first);
      c.write(both.toByteArray());
      c.readHead();
      c.write(head("HTTP/1.1 200 OK\r\nContent-Length: " + BIG + "\r\n\r\n"));
      c.write(second);
      c.holdSilently();
    }); Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.port());
      Request one = sent(connect, "/1");
      assertArrayEquals(first, readAll(one, 64 * 1024, false));
      one.close();
      Request two = sent(connect, "/2");
      assertArrayEquals(second, readAll(two, 100_000, true));
      assertTrue(two.isConnectionReused(), "the second request reused the connection");
      two.close();
      connect.close();
      assertEquals(1, server.connections());
    }
  }

  @Test
  void aCloseDelimitedBodyReadIntoABigDirectBufferIsWhole() throws Exception {
    byte[] content = body(BIG, 3);
    try (RawServer server = RawServer.start(c -> {
      c.readHead();
      c.write(head("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
      c.write(content);
      c.close();
    }); Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.port());
      Request request = sent(connect, "/");
      assertArrayEquals(content, readAll(request, 64 * 1024, true));
      request.close();
      connect.close();
    }
  }

  @Test
  void aFixedLengthBodyCutShortIsATruncationOnTheDirectPathToo() throws Exception {
    try (RawServer server = RawServer.start(c -> {
      c.readHead();
      c.write(head("HTTP/1.1 200 OK\r\nContent-Length: " + BIG + "\r\n\r\n"));
      c.write(body(BIG / 2, 4));
      c.close();
    }); Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.port());
      Request request = sent(connect, "/");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> readAll(request, 64 * 1024, false));
      HttpException error = assertInstanceOf(HttpException.class, e.getCause());
      assertEquals(ErrorCode.CONNECTION_ERROR, error.code()); // rule 23: a truncation
      request.close();
      connect.close();
    }
  }
}
