package dev.telltale.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request writing: the head of a GET as the engine encodes it for each send (Host, User-Agent
 * and the application's fields). In {@code dev.telltale.internal} because the encoder is
 * package-private; run with the others ({@code bench/jmh.sh}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WriteBench {
  @Param({"0", "4"})
  public int extraFields;

  private RequestMessage message;

  @Setup
  public void setup() {
    List<String> fields = new java.util.ArrayList<>();
    for (int i = 0; i < extraFields; i++) {
      fields.add("X-Field-" + i);
      fields.add("value number " + i);
    }
    message = new RequestMessage("GET", "/small", new Origin(false, "127.0.0.1", 8080), fields);
  }

  @Benchmark
  public ByteBuffer encodeHead() {
    return message.encodeHead("telltale/0.1", 0, false, message.origin); // direct: no proxy
  }
}
