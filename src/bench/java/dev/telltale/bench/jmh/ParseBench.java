package dev.telltale.bench.jmh;

import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.Http1Framing;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Response parsing: a head as nginx sends it and its body, through {@link Http1ResponseParser}
 * and the body decoder, as the engine drives them. {@code pieces} = 1 parses the response from
 * one buffer; more splits it into that many reads (a head split across reads is the slow path).
 * The {@code bytes} counter gives MB/s: its rate is response bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ParseBench {
  /** Response bytes parsed (rate = bytes per second). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Param({"small", "chunked16k"})
  public String response;

  @Param({"1", "8"})
  public int pieces;

  private ByteBuffer[] parts;
  private int total;
  private Http1ResponseParser parser;

  @Setup
  public void setup() {
    byte[] whole = response.equals("small") ? BenchServer.RESPONSE : chunked(16 * 1024, 4096);
    total = whole.length;
    parts = new ByteBuffer[pieces];
    int step = (whole.length + pieces - 1) / pieces;
    for (int i = 0; i < pieces; i++) {
      int from = Math.min(whole.length, i * step);
      int to = Math.min(whole.length, from + step);
      parts[i] = ByteBuffer.wrap(whole, from, to - from).slice();
    }
    parser = new Http1ResponseParser(Http1ResponseParser.DEFAULT_MAX_HEADER_BYTES,
        Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT);
  }

  @Benchmark
  public long parse(Bytes counter) throws ProtocolViolation {
    ResponseHead head = null;
    BodyDecoder decoder = null;
    long body = 0;
    for (ByteBuffer part : parts) {
      ByteBuffer src = part.duplicate();
      if (head == null) {
        head = parser.parseHead(src);
        if (head == null) {
          continue;
        }
        decoder = Http1Framing.decoderFor("GET", head);
      }
      int n;
      while ((n = decoder.available(src)) > 0) {
        src.position(src.position() + n);
        decoder.consumed(n);
        body += n;
      }
    }
    if (decoder == null || !decoder.isComplete()) {
      throw new IllegalStateException("response not complete");
    }
    counter.bytes += total;
    return body + head.statusCode();
  }

  static byte[] chunked(int bodySize, int chunkSize) {
    StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
        + "Date: Tue, 24 Nov 2026 06:00:00 GMT\r\nContent-Type: application/octet-stream\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n");
    for (int left = bodySize; left > 0; left -= chunkSize) {
      int n = Math.min(chunkSize, left);
      sb.append(Integer.toHexString(n)).append("\r\n").append("y".repeat(n)).append("\r\n");
    }
    sb.append("0\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
