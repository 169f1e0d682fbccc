package dev.telltale.bench.jmh;

import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.Session;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes allocated per small GET at 64 connections, counted per thread with the JVM's
 * per-thread allocation counters ({@code com.sun.management.ThreadMXBean}): the calling thread
 * and every telltale thread (the I/O loops run the exchanges and the completions), and the
 * in-process server separately (it should be 0). The honest cross-check of JMH's {@code -prof gc}.
 *
 * <p>{@code java -cp ... dev.telltale.bench.jmh.AllocPerGet [rounds]}
 */
public final class AllocPerGet {
  private AllocPerGet() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (BenchServer server = new BenchServer()) {
      Session session = Session.builder().idleTimeout(Duration.ofMinutes(5)).build();
      session.setOption(Option.MAX_CONNS_PER_SERVER, GetBench.LANES);
      Connect connect = session.connect("127.0.0.1", server.port());
      ByteBuffer[] buffers = new ByteBuffer[GetBench.LANES];
      for (int i = 0; i < buffers.length; i++) {
        buffers[i] = ByteBuffer.allocate(16 * 1024);
      }
      runRounds(connect, buffers, rounds); // warm-up: JIT, connections opened, pools filled
      Map<String, Long> before = perThread(threads);
      long t0 = System.nanoTime();
      runRounds(connect, buffers, rounds);
      long nanos = System.nanoTime() - t0;
      Map<String, Long> after = perThread(threads);
      long gets = (long) rounds * GetBench.LANES;
      long client = 0;
      StringBuilder detail = new StringBuilder();
      for (Map.Entry<String, Long> e : after.entrySet()) {
        long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
        if (delta == 0) {
          continue;
        }
        detail.append(String.format(Locale.ROOT, "  %-22s %10.1f bytes/GET%n", e.getKey(), delta / (double) gets));
        if (!e.getKey().startsWith("bench-server")) {
          client += delta;
        }
      }
      System.out.printf(Locale.ROOT, "%d GETs at %d connections: %.0f bytes allocated per GET by the"
              + " client (caller + I/O threads), %.1f µs wall per GET%n%s", gets, GetBench.LANES,
          client / (double) gets, nanos / 1e3 / gets, detail);
      connect.close(); // the session closes once its children have
      session.close();
      session.awaitTermination(Duration.ofSeconds(10));
    }
  }

  private static void runRounds(Connect connect, ByteBuffer[] buffers, int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      CountDownLatch done = new CountDownLatch(buffers.length);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (ByteBuffer buffer : buffers) {
        GetBench.get(connect, buffer, done, failure);
      }
      if (!done.await(30, TimeUnit.SECONDS) || failure.get() != null) {
        throw new IllegalStateException("GETs failed or hung", failure.get());
      }
    }
  }

  /** Allocated bytes of every live thread, by name (threads of one name summed). */
  private static Map<String, Long> perThread(com.sun.management.ThreadMXBean threads) {
    Map<String, Long> bytes = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long n = threads.getThreadAllocatedBytes(t.getId());
      if (n > 0) {
        bytes.merge(t.getName(), n, Long::sum);
      }
    }
    return bytes;
  }
}
