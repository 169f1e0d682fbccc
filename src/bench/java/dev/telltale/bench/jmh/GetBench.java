package dev.telltale.bench.jmh;

import dev.telltale.CallbackStatus;
import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole small GETs through telltale against the in-process {@link BenchServer}, 64 at once over
 * 64 keep-alive connections (one operation = one GET). {@code flags} compares a status callback
 * taking ALL_NOTIFICATIONS with none installed (NONE): masked statuses should cost nothing. Run
 * with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per GET by every
 * thread (the I/O loops included; the server allocates nothing per request).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GetBench {
  static final int LANES = 64;

  @Param({"NONE", "ALL_NOTIFICATIONS"})
  public String flags;

  private BenchServer server;
  private Session session;
  private Connect connect;
  private final ByteBuffer[] buffers = new ByteBuffer[LANES];

  @Setup
  public void setup() {
    server = new BenchServer();
    session = Session.builder().idleTimeout(Duration.ofMinutes(5)).build();
    session.setOption(Option.MAX_CONNS_PER_SERVER, LANES);
    if (flags.equals("ALL_NOTIFICATIONS")) {
      session.setStatusCallback((handle, context, event) -> {
        if (event.status() == CallbackStatus.REQUEST_ERROR) {
          throw new IllegalStateException(String.valueOf(event));
        }
      }, NotificationFlags.ALL_NOTIFICATIONS);
    }
    connect = session.connect("127.0.0.1", server.port());
    for (int i = 0; i < LANES; i++) {
      buffers[i] = ByteBuffer.allocate(16 * 1024);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    connect.close(); // the session closes once its children have
    session.close();
    session.awaitTermination(Duration.ofSeconds(10));
    server.close();
  }

  @Benchmark
  @OperationsPerInvocation(LANES)
  public void get64() throws Exception {
    CountDownLatch done = new CountDownLatch(LANES);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < LANES; i++) {
      get(connect, buffers[i], done, failure);
    }
    if (!done.await(30, TimeUnit.SECONDS) || failure.get() != null) {
      throw new IllegalStateException("GETs failed or hung", failure.get());
    }
  }

  /** sendRequest, receiveResponse, readData until 0, each from the previous one's completion. */
  static void get(Connect connect, ByteBuffer buffer, CountDownLatch done,
      AtomicReference<Throwable> failure) {
    Request request = connect.openRequest("GET", "/small");
    request.sendRequest().whenComplete((v, e) -> {
      if (e != null) {
        end(request, done, failure, e);
        return;
      }
      request.receiveResponse().whenComplete((h, e2) -> {
        if (e2 != null) {
          end(request, done, failure, e2);
        } else {
          read(request, buffer, done, failure);
        }
      });
    });
  }

  private static void read(Request request, ByteBuffer buffer, CountDownLatch done,
      AtomicReference<Throwable> failure) {
    request.readData(buffer.clear()).whenComplete((n, e) -> {
      if (e != null || n == 0) {
        end(request, done, failure, e);
      } else {
        read(request, buffer, done, failure);
      }
    });
  }

  private static void end(Request request, CountDownLatch done, AtomicReference<Throwable> failure,
      Throwable e) {
    request.close();
    if (e != null) {
      failure.compareAndSet(null, e);
    }
    done.countDown();
  }
}
