package dev.telltale.decompression;

import static dev.telltale.testkit.Roundtrip.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Decompression;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review of Option.DECOMPRESSION at its edges: codings spread over several fields, codings the
 * client cannot undo, bodies that are empty or partial, and the queryDataAvailable/readData
 * interplay with small buffers.
 */
@ExtendWith(LeakCheck.class)
class DecompressionReviewTest extends MockServerTest {
  private static final byte[] TEXT = "pack my box with five dozen liquor jugs\n".repeat(3000)
      .getBytes(StandardCharsets.US_ASCII);

  @Override
  protected Session newSession() {
    return Session.builder().ioThreads(1).build();
  }

  private Request decompressing(String method, String path) {
    Request request = connect.openRequest(method, path);
    request.setOption(Option.DECOMPRESSION, EnumSet.allOf(Decompression.class));
    return request;
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  /**
   * RFC 9110 §5.3: two Content-Encoding fields are one list, "gzip, deflate" (gzip applied first).
   * Decoding only the first field's coding would gunzip deflate data and fail a good response;
   * both are undone, last applied first.
   */
  @Test
  void contentEncodingSplitOverTwoFieldsIsDecodedAsOneStack() throws Exception {
    byte[] body = deflate(gzip(TEXT));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .addHeader("Content-Encoding", "deflate").body(new Buffer().write(body)).build());
    try (Request request = decompressing("GET", "/")) {
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
    }
  }

  /** A stack with a coding the library cannot undo is delivered as received, not half decoded. */
  @Test
  void aStackWithAnUnknownCodingIsDeliveredAsReceived() throws Exception {
    byte[] body = gzip("pretend brotli inside".getBytes(StandardCharsets.US_ASCII));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "br, gzip")
        .body(new Buffer().write(body)).build());
    try (Request request = decompressing("GET", "/")) {
      assertArrayEquals(body, Roundtrip.run(request, 4096).body());
    }
  }

  /** {@code identity} changes nothing (RFC 9110 §12.5.3), so "identity, gzip" is gzip. */
  @Test
  void identityInTheCodingListIsIgnored() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "identity")
        .addHeader("Content-Encoding", "GZIP").body(new Buffer().write(gzip(TEXT))).build());
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "identity")
        .body(new Buffer().write(TEXT)).build());
    try (Request request = decompressing("GET", "/")) {
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body(), "identity alone: as received");
    }
  }

  @Test
  void anUnknownCodingIsDeliveredAsReceived() throws Exception {
    byte[] body = "not really brotli".getBytes(StandardCharsets.US_ASCII);
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "br")
        .body(new Buffer().write(body)).build());
    try (Request request = decompressing("GET", "/")) {
      assertArrayEquals(body, Roundtrip.run(request, 4096).body());
    }
  }

  /**
   * A 206 carries a byte range of the encoded representation, which is no gzip stream of its own
   * (resuming a download is the common case): it must reach the application as received, not fail.
   */
  @Test
  void aPartialContentResponseIsNotDecoded() throws Exception {
    byte[] gz = gzip(TEXT);
    byte[] range = java.util.Arrays.copyOfRange(gz, 100, 400);
    server.enqueue(new MockResponse.Builder().code(206).addHeader("Content-Encoding", "gzip")
        .addHeader("Content-Range", "bytes 100-399/" + gz.length).body(new Buffer().write(range)).build());
    try (Request request = decompressing("GET", "/")) {
      request.addHeader("Range", "bytes=100-399");
      Roundtrip.Response response = Roundtrip.run(request, 4096);
      assertEquals(206, response.status());
      assertArrayEquals(range, response.body());
    }
  }

  /**
   * Content-Length: 0 with Content-Encoding: gzip (servers do send it for empty resources) is an
   * empty body, complete with the headers, exactly as without decompression: no data is reported,
   * the connection goes back to the pool at once and serves the next request.
   */
  @Test
  void anEmptyGzipBodyEndsWithTheHeadersAndTheConnectionIsReused() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip").build());
    server.enqueue(new MockResponse.Builder().code(204).addHeader("Content-Encoding", "gzip").build());
    server.enqueue(new MockResponse.Builder().code(304).addHeader("Content-Encoding", "gzip").build());
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .body(new Buffer().write(gzip(TEXT))).build());
    try (Request request = decompressing("GET", "/")) {
      await(request.sendRequest());
      assertEquals(0, await(request.receiveResponse()).contentLength().getAsLong());
      assertEquals(0, await(request.queryDataAvailable()));
      assertEquals(0, await(request.readData(ByteBuffer.allocate(10))));
      assertEquals(0, Roundtrip.run(request, 100).body().length, "204");
      assertEquals(0, Roundtrip.run(request, 100).body().length, "304");
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
    }
    int first = take().getConnectionIndex();
    for (int i = 0; i < 3; i++) {
      assertEquals(first, take().getConnectionIndex(), "every response left the connection reusable");
    }
  }

  /**
   * As without decompression, an empty coded body is complete with its headers: the connection
   * is back in the pool before the application reads, so another request can use it at once.
   */
  @Test
  void anEmptyGzipBodyFreesTheConnectionBeforeItIsRead() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip").build());
    server.enqueue(new MockResponse.Builder().body("next").build());
    try (Request first = decompressing("GET", "/empty"); Request second = decompressing("GET", "/next")) {
      await(first.sendRequest());
      assertEquals(200, await(first.receiveResponse()).statusCode());
      assertEquals("next", Roundtrip.run(second, 64).text());
      assertTrue(second.isConnectionReused(), "the empty body's connection was already pooled");
      assertEquals(0, await(first.readData(ByteBuffer.allocate(8))));
    }
    assertEquals(take().getConnectionIndex(), take().getConnectionIndex());
  }

  /**
   * queryDataAvailable decodes ahead; readData with a buffer smaller than what it announced takes
   * a part; the next query announces the rest of that, never 0 before the end. The counts add up
   * to the decoded body and nothing is lost or repeated between the two paths.
   */
  @Test
  void queryDataAvailableAndSmallReadsInterleaveWithoutLosingBytes() throws Exception {
    byte[] gz = gzip(TEXT);
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .chunkedBody(new Buffer().write(gz), 17).build());
    try (Request request = decompressing("GET", "/")) {
      await(request.sendRequest());
      await(request.receiveResponse());
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int round = 0;
      while (true) {
        int available = await(request.queryDataAvailable());
        if (available == 0) {
          break;
        }
        assertTrue(body.size() < TEXT.length, "0 is only reported at the end, got " + available);
        // alternate: a read smaller than announced, then one larger
        ByteBuffer buffer = ByteBuffer.allocate(round++ % 2 == 0 ? Math.max(1, available / 3) : available + 5000);
        int n = await(request.readData(buffer));
        assertTrue(n > 0 && n <= buffer.capacity(), "read " + n);
        body.write(buffer.array(), 0, n);
      }
      assertArrayEquals(TEXT, body.toByteArray());
      assertEquals(0, await(request.readData(ByteBuffer.allocate(10))));
    }
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
