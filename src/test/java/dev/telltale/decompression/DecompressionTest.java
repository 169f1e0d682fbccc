package dev.telltale.decompression;

import static dev.telltale.testkit.Roundtrip.await;
import static dev.telltale.testkit.Roundtrip.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Decompression;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.RawServer;
import dev.telltale.testkit.Roundtrip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Option.DECOMPRESSION against MockWebServer: gzip and deflate bodies, limits, and the events. */
@ExtendWith(LeakCheck.class)
class DecompressionTest extends MockServerTest {
  private static final byte[] TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(2000)
      .getBytes(StandardCharsets.US_ASCII);

  @Override
  protected Session newSession() {
    return Session.builder().ioThreads(1).build();
  }

  private Request decompressing(String path) {
    Request request = connect.openRequest("GET", path);
    request.setOption(Option.DECOMPRESSION, EnumSet.allOf(Decompression.class));
    return request;
  }

  private static MockResponse encoded(String coding, byte[] body) {
    return new MockResponse.Builder().addHeader("Content-Encoding", coding).body(new Buffer().write(body)).build();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  @Test
  void offByDefault() throws Exception {
    byte[] gz = gzip(TEXT);
    server.enqueue(encoded("gzip", gz));
    try (Request request = connect.openRequest("GET", "/")) {
      assertEquals(Set.of(), request.queryOption(Option.DECOMPRESSION));
      assertArrayEquals(gz, Roundtrip.run(request, 1000).body(), "delivered as received");
    }
    assertNull(take().getHeaders().get("Accept-Encoding"));
  }

  @Test
  void gzipWithContentLengthReadInSmallPieces() throws Exception {
    server.enqueue(encoded("gzip", gzip(TEXT)));
    try (Request request = decompressing("/")) {
      Roundtrip.Response response = Roundtrip.run(request, 100);
      assertArrayEquals(TEXT, response.body());
      assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElseThrow(),
          "the headers stay as received");
      assertEquals(gzip(TEXT).length, response.headers().contentLength().getAsLong());
    }
    assertEquals("gzip, deflate", take().getHeaders().get("Accept-Encoding"));
  }

  @Test
  void gzipChunkedInTinyChunksArrivingSlowly() throws Exception {
    byte[] gz = gzip(TEXT);
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .chunkedBody(new Buffer().write(gz), 3).throttleBody(64, 1, TimeUnit.MILLISECONDS).build());
    try (Request request = decompressing("/")) {
      assertArrayEquals(TEXT, Roundtrip.run(request, 777).body());
    }
  }

  @Test
  void severalGzipMembers() throws Exception {
    byte[] a = "first part, ".getBytes(StandardCharsets.US_ASCII);
    server.enqueue(encoded("gzip", concat(gzip(a), gzip(TEXT))));
    try (Request request = decompressing("/")) {
      assertArrayEquals(concat(a, TEXT), Roundtrip.run(request, 4096).body());
    }
  }

  @Test
  void deflateZlibAndRaw() throws Exception {
    server.enqueue(encoded("deflate", deflate(TEXT, false)));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "deflate")
        .chunkedBody(new Buffer().write(deflate(TEXT, true)), 5).build());
    try (Request request = decompressing("/")) {
      assertArrayEquals(TEXT, Roundtrip.run(request, 333).body(), "zlib");
      assertArrayEquals(TEXT, Roundtrip.run(request, 333).body(), "raw deflate");
    }
  }

  @Test
  void onlyTheEnabledCodingIsAcceptedAndDecoded() throws Exception {
    byte[] gz = gzip(TEXT);
    server.enqueue(encoded("gzip", gz));
    try (Request request = connect.openRequest("GET", "/")) {
      request.setOption(Option.DECOMPRESSION, Set.of(Decompression.DEFLATE));
      assertArrayEquals(gz, Roundtrip.run(request, 4096).body());
    }
    assertEquals("deflate", take().getHeaders().get("Accept-Encoding"));
  }

  @Test
  void theApplicationsAcceptEncodingIsKept() throws Exception {
    server.enqueue(encoded("gzip", gzip(TEXT)));
    try (Request request = decompressing("/")) {
      request.addHeader("Accept-Encoding", "gzip;q=1.0");
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
    }
    assertEquals("gzip;q=1.0", take().getHeaders().get("Accept-Encoding"));
  }

  @Test
  void sessionOptionIsInheritedByNewRequests() throws Exception {
    session.setOption(Option.DECOMPRESSION, Set.of(Decompression.GZIP));
    server.enqueue(encoded("gzip", gzip(TEXT)));
    try (Request request = connect.openRequest("GET", "/")) {
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
    }
    assertEquals("gzip", take().getHeaders().get("Accept-Encoding"));
  }

  @Test
  void dataAvailableAndReadCompleteCountDecodedBytes() throws Exception {
    byte[] gz = gzip(TEXT);
    assertTrue(gz.length < 1000, "the test needs a body that shrinks a lot: " + gz.length);
    server.enqueue(encoded("gzip", gz));
    Request request = decompressing("/");
    await(request.sendRequest());
    await(request.receiveResponse());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int available = await(request.queryDataAvailable());
    assertTrue(available > gz.length, "decoded bytes are counted: " + available + " > " + gz.length);
    while (available > 0) {
      ByteBuffer buffer = ByteBuffer.allocate(available);
      assertEquals(available, await(request.readData(buffer)), "all that was announced can be read");
      body.write(buffer.array(), 0, available);
      available = await(request.queryDataAvailable());
    }
    assertArrayEquals(TEXT, body.toByteArray());
    request.close();
    rec.awaitClosing(request);
    long read = rec.lines().stream().filter(l -> l.startsWith("request READ_COMPLETE"))
        .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    assertEquals(TEXT.length, read, "READ_COMPLETE counts decoded bytes");
  }

  @Test
  void theConnectionIsReusedAfterADecodedBody() throws Exception {
    server.enqueue(encoded("gzip", gzip(TEXT)));
    server.enqueue(encoded("deflate", deflate(TEXT, false)));
    try (Request request = decompressing("/")) {
      Roundtrip.run(request, 4096);
      assertArrayEquals(TEXT, Roundtrip.run(request, 4096).body());
    }
    assertEquals(take().getConnectionIndex(), take().getConnectionIndex());
  }

  @Test
  void headResponseWithContentEncodingHasNoBody() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .addHeader("Content-Length", "123").build());
    try (Request request = connect.openRequest("HEAD", "/")) {
      request.setOption(Option.DECOMPRESSION, EnumSet.allOf(Decompression.class));
      assertEquals(0, Roundtrip.run(request, 100).body().length);
    }
  }

  @Test
  void corruptGzipFailsWithInvalidServerResponse() throws Exception {
    byte[] gz = gzip(TEXT);
    gz[gz.length / 2] ^= 0x5a;
    server.enqueue(encoded("gzip", gz));
    assertInvalid(gz, "gzip");
  }

  @Test
  void gzipCutShortInsideACompleteBodyFails() throws Exception {
    byte[] gz = Arrays.copyOf(gzip(TEXT), gzip(TEXT).length - 6);
    server.enqueue(encoded("gzip", gz));
    HttpException error = assertInvalid(gz, "gzip");
    assertTrue(error.getMessage().startsWith("gzip stream truncated"), error.getMessage());
  }

  @Test
  void aBodyThatIsNotGzipAtAllFails() throws Exception {
    server.enqueue(encoded("gzip", TEXT));
    assertInvalid(TEXT, "gzip");
  }

  @Test
  void aConnectionClosedInsideTheEncodedBodyIsAConnectionError() throws Exception {
    byte[] gz = gzip(TEXT);
    try (RawServer raw = RawServer.start(c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n\r\n");
      c.write(Arrays.copyOf(gz, gz.length / 2));
      c.close();
    })) {
      Connect rawConnect = session.connect("127.0.0.1", raw.port());
      try (Request request = rawConnect.openRequest("GET", "/")) {
        request.setOption(Option.DECOMPRESSION, EnumSet.allOf(Decompression.class));
        await(request.sendRequest());
        await(request.receiveResponse());
        ByteBuffer buffer = ByteBuffer.allocate(TEXT.length);
        HttpException error = null;
        while (error == null) {
          var read = request.readData(buffer);
          try {
            assertTrue(await(read) > 0, "a cut body must not end normally");
          } catch (java.util.concurrent.ExecutionException e) {
            error = failureOf(read);
          }
        }
        assertEquals(ErrorCode.CONNECTION_ERROR, error.code());
      } finally {
        rawConnect.close();
      }
    }
  }

  private HttpException assertInvalid(byte[] body, String coding) throws Exception {
    try (Request request = decompressing("/")) {
      await(request.sendRequest());
      await(request.receiveResponse());
      HttpException error = null;
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      for (int i = 0; i < 1000 && error == null; i++) {
        var read = request.readData(buffer.clear());
        try {
          if (await(read) == 0) {
            break;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          error = failureOf(read);
        }
      }
      assertTrue(error != null, "a damaged " + coding + " body must fail the read");
      assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, error.code());
      rec.awaitLine("request REQUEST_ERROR READ_DATA INVALID_SERVER_RESPONSE");
      return error;
    }
  }

  @Test
  void aDecompressionBombFailsAfterTheRatioLimitAllocatingLittle() throws Exception {
    byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
    server.enqueue(encoded("gzip", bomb));
    try (Request request = decompressing("/")) {
      await(request.sendRequest());
      await(request.receiveResponse());
      long before = loopAllocatedBytes();
      assertTrue(before > 0, "the I/O thread's allocation counter must be readable");
      long delivered = 0;
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      HttpException error = null;
      while (error == null) {
        var read = request.readData(buffer.clear());
        try {
          int n = await(read);
          assertTrue(n > 0, "the bomb must not be read to its end");
          delivered += n;
        } catch (java.util.concurrent.ExecutionException e) {
          error = failureOf(read);
        }
      }
      long allocated = loopAllocatedBytes() - before;
      assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, error.code());
      assertTrue(error.getMessage().contains("MAX_DECOMPRESSION_RATIO (100:1)"), error.getMessage());
      assertTrue(delivered <= (1 << 20) + 64 * 1024, "stopped soon after the 1 MiB grace: " + delivered);
      assertTrue(allocated < (1 << 20), "the I/O thread allocated " + allocated + " bytes for the bomb");
    }
  }

  @Test
  void theDecodedSizeLimitApplies() throws Exception {
    server.enqueue(encoded("gzip", gzip(TEXT)));
    try (Request request = decompressing("/")) {
      request.setOption(Option.MAX_DECOMPRESSED_SIZE, 10_000L);
      await(request.sendRequest());
      await(request.receiveResponse());
      ByteBuffer buffer = ByteBuffer.allocate(TEXT.length);
      HttpException error = failureOf(request.readData(buffer));
      assertEquals(ErrorCode.INVALID_SERVER_RESPONSE, error.code());
      assertEquals("decompression bomb refused: the decoded body exceeds MAX_DECOMPRESSED_SIZE (10000 bytes)",
          error.getMessage());
    }
  }

  /** Bytes allocated so far by the session's I/O thread(s) (HotSpot's per-thread counter). */
  private static long loopAllocatedBytes() throws Exception {
    Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
    Method allocated = bean.getMethod("getThreadAllocatedBytes", long.class);
    // by reflection: the tests compile inside the module, which does not read java.management
    Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
        .invoke(null);
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("telltale-loop-")) {
        sum += (long) allocated.invoke(mx, t.getId());
      }
    }
    return sum;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data, boolean raw) {
    Deflater deflater = new Deflater(9, raw);
    deflater.setInput(data);
    deflater.finish();
    byte[] out = new byte[data.length + 1024];
    int n = deflater.deflate(out);
    deflater.end();
    return Arrays.copyOf(out, n);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
