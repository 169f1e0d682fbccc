package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.AsyncAssertions;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule 23: a body shorter than announced (by Content-Length or chunked framing) is an error,
 * CONNECTION_ERROR, never a silent short read that ends with 0.
 */
@ExtendWith(LeakCheck.class)
class TruncationTest {

  /** What reading a response until it ends or fails produced. */
  private record Outcome(String body, HttpException error, List<String> bodyLines) {}

  /**
   * Sends a GET to a server that answers {@code response} (and then does what {@code script}
   * says), reads the body with {@code op} until 0 or failure, and returns what happened.
   */
  private static Outcome readUntilEndOrFailure(RawServer raw,
      Function<Request, CompletableFuture<Integer>> op, ByteBuffer buf) {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", raw.port());
    Request request = connect.openRequest("GET", "/");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpException error = null;
    try {
      await(request.sendRequest());
      await(request.receiveResponse());
      for (int i = 0; i < 1000 && error == null; i++) {
        buf.clear();
        CompletableFuture<Integer> read = op.apply(request);
        int n;
        try {
          n = read.get(AsyncAssertions.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          error = assertInstanceOf(HttpException.class, e.getCause());
          break;
        } catch (TimeoutException | InterruptedException e) {
          throw new AssertionError("the read neither completed nor failed", e);
        }
        if (n == 0) {
          break;
        }
        body.write(buf.array(), 0, n);
      }
    } finally {
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
    }
    rec.assertInvariants();
    List<String> lines = rec.lines();
    int headers = lines.indexOf("request HEADERS_AVAILABLE");
    int closing = lines.indexOf("request HANDLE_CLOSING");
    assertTrue(headers >= 0 && closing > headers, () -> "unexpected notifications: " + lines);
    return new Outcome(body.toString(StandardCharsets.ISO_8859_1), error,
        List.copyOf(lines.subList(headers + 1, closing)));
  }

  private static Outcome readAll(RawServer raw) {
    ByteBuffer buf = ByteBuffer.allocate(100);
    return readUntilEndOrFailure(raw, r -> r.readData(buf), buf);
  }

  private static void assertTruncated(Outcome outcome, String expectedPrefix, String api) {
    if (outcome.error() == null) {
      fail("a truncated body ended silently with " + outcome.body().length() + " bytes ("
          + outcome.body() + "); notifications: " + outcome.bodyLines());
    }
    assertEquals(ErrorCode.CONNECTION_ERROR, outcome.error().code(), () -> String.valueOf(outcome.error()));
    assertEquals(expectedPrefix, outcome.body(), "the bytes that did arrive are delivered");
    List<String> reads = outcome.bodyLines();
    assertTrue(reads.stream().noneMatch(l -> l.equals("request READ_COMPLETE 0")
            || l.equals("request DATA_AVAILABLE 0")),
        () -> "a 0 (end of body) was reported for a truncated body: " + reads);
    assertEquals("request REQUEST_ERROR " + api + " CONNECTION_ERROR", reads.get(reads.size() - 1),
        () -> "notifications after the headers: " + reads);
    List<String> others = reads.subList(0, reads.size() - 1).stream()
        .filter(l -> !l.startsWith("request READ_COMPLETE ") && !l.startsWith("request DATA_AVAILABLE "))
        .collect(Collectors.toList());
    assertEquals(List.of(), others, "only reads before the error");
  }

  @Test
  void rule23_aBodyShorterThanItsContentLengthFailsWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.respondAndClose(
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789")) {
      assertTruncated(readAll(raw), "0123456789", "READ_DATA");
    }
  }

  @Test
  void rule23_queryDataAvailableOnAShortContentLengthBodyFailsRatherThanReportingTheEnd()
      throws Exception {
    try (RawServer raw = RawServer.respondAndClose(
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789")) {
      ByteBuffer buf = ByteBuffer.allocate(100);
      // alternate: queryDataAvailable, then readData of what it announced
      boolean[] query = {true};
      Outcome outcome = readUntilEndOrFailure(raw, r -> {
        if (query[0]) {
          query[0] = false;
          return r.queryDataAvailable().thenCompose(n -> {
            if (n == 0) {
              return CompletableFuture.completedFuture(0);
            }
            query[0] = true;
            return r.readData(buf);
          });
        }
        return r.readData(buf);
      }, buf);
      if (outcome.error() == null) {
        fail("a truncated body ended silently: " + outcome.bodyLines());
      }
      assertEquals(ErrorCode.CONNECTION_ERROR, outcome.error().code());
      assertEquals("0123456789", outcome.body());
      List<String> lines = outcome.bodyLines();
      assertTrue(lines.stream().noneMatch(l -> l.endsWith(" 0")), () -> lines.toString());
      assertTrue(lines.get(lines.size() - 1).endsWith(" CONNECTION_ERROR"), () -> lines.toString());
    }
  }

  @Test
  void rule23_aConnectionResetInTheMiddleOfABodyFailsWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.start(c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789");
      c.reset();
    })) {
      Outcome outcome = readAll(raw);
      if (outcome.error() == null) {
        fail("a reset body ended silently: " + outcome.bodyLines());
      }
      assertEquals(ErrorCode.CONNECTION_ERROR, outcome.error().code(), () -> outcome.error().toString());
      assertTrue("0123456789".startsWith(outcome.body()), outcome.body());
    }
  }

  @Test
  void rule23_aChunkedBodyCutBeforeTheLastChunkFailsWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.respondAndClose(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")) {
      assertTruncated(readAll(raw), "hello", "READ_DATA");
    }
  }

  @Test
  void rule23_aChunkedBodyCutInsideAChunkFailsWithConnectionError() throws Exception {
    try (RawServer raw = RawServer.respondAndClose(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\na\r\nwor")) {
      assertTruncated(readAll(raw), "hellowor", "READ_DATA");
    }
  }

  @Test
  void rule23_aCloseDelimitedBodyEndsNormallyAtEndOfStream() throws Exception {
    try (RawServer raw = RawServer.respondAndClose("HTTP/1.1 200 OK\r\n\r\nall of it")) {
      Outcome outcome = readAll(raw);
      assertEquals(null, outcome.error(), "end of stream is the end of a close-delimited body");
      assertEquals("all of it", outcome.body());
      List<String> lines = outcome.bodyLines();
      assertEquals("request READ_COMPLETE 0", lines.get(lines.size() - 1), () -> lines.toString());
    }
  }
}
