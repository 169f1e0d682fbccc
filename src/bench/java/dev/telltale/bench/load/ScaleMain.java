package dev.telltale.bench.load;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale mode: one session opens {@code idle} keep-alive connections (that many requests in
 * flight at once, each holding its connection until all have sent), reads every response, and
 * keeps the connections idle in its pool. After a full GC it prints the heap they cost, per
 * connection (live objects, from the class histogram), over the heap of the same session
 * before, and the file descriptors in use. Then
 * {@code inflight} requests run at once over those connections and must all succeed.
 *
 * <p>Arguments: url=, idle= (default 10000), inflight= (default 2000).
 */
public final class ScaleMain {
  private ScaleMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    URI uri = URI.create(a.get("url"));
    int idle = Integer.parseInt(a.getOrDefault("idle", "10000"));
    int inflight = Integer.parseInt(a.getOrDefault("inflight", "2000"));
    Session session = Session.builder().idleTimeout(Duration.ofMinutes(10)).build();
    Connect connect = session.connect(uri.getHost(), uri.getPort());

    get(connect, uri).get(30, TimeUnit.SECONDS); // loads the classes, starts the loops
    long baseline = heapAfterFullGc();
    int fdsBefore = openFds();

    long t0 = System.nanoTime();
    List<Request> requests = new ArrayList<>(idle);
    List<CompletableFuture<Void>> sent = new ArrayList<>(idle);
    for (int i = 0; i < idle; i++) {
      Request request = connect.openRequest("GET", uri.getRawPath());
      requests.add(request);
      sent.add(request.sendRequest());
    }
    // every request holds its own connection until its body is read: all sent = all connected
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    List<CompletableFuture<Long>> bodies = new ArrayList<>(idle);
    for (Request request : requests) {
      bodies.add(request.receiveResponse().thenCompose(h -> drain(request, ByteBuffer.allocate(1024), 0)));
    }
    CompletableFuture.allOf(bodies.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    requests.forEach(Request::close);
    requests.clear();
    sent.clear();
    bodies.clear();
    double openSeconds = (System.nanoTime() - t0) / 1e9;

    long held = settledHeap();
    int fds = openFds();
    double perConnection = (held - baseline) / (double) idle;
    if (a.containsKey("histogram")) { // histogram=40: the classes holding the most heap now
      printHistogram(Integer.parseInt(a.get("histogram")));
    }
    if (a.containsKey("heapdump")) { // heapdump=FILE: for finding what idle connections hold
      ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .dumpHeap(a.get("heapdump"), true);
    }

    long t1 = System.nanoTime();
    AtomicLong errors = new AtomicLong();
    List<CompletableFuture<Long>> flight = new ArrayList<>(inflight);
    for (int i = 0; i < inflight; i++) {
      flight.add(get(connect, uri).exceptionally(e -> {
        errors.incrementAndGet();
        return -1L;
      }));
    }
    CompletableFuture.allOf(flight.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    double flightSeconds = (System.nanoTime() - t1) / 1e9;
    int fdsAfter = openFds();

    System.out.printf(Locale.ROOT,
        "{\"client\":\"telltale\",\"idle_connections\":%d,\"open_seconds\":%.2f,"
            + "\"heap_baseline_kib\":%.0f,\"heap_held_kib\":%.0f,\"heap_per_connection_bytes\":%.0f,"
            + "\"fds_before\":%d,\"fds_with_idle\":%d,\"inflight\":%d,\"inflight_seconds\":%.2f,"
            + "\"inflight_errors\":%d,\"fds_after_inflight\":%d}%n",
        idle, openSeconds, baseline / 1024.0, held / 1024.0, perConnection, fdsBefore, fds,
        inflight, flightSeconds, errors.get(), fdsAfter);
    System.out.printf(Locale.ROOT, "%d idle connections: %.0f bytes of heap each after a full GC"
            + " (goal <= 1024), %d file descriptors in use; %d requests in flight at once: %d errors%n",
        idle, perConnection, fds, inflight, errors.get());
    connect.close(); // the session closes once its children have
    session.close();
    session.awaitTermination(Duration.ofSeconds(30));
    System.exit(errors.get() == 0 ? 0 : 1);
  }

  private static CompletableFuture<Long> get(Connect connect, URI uri) {
    Request request = connect.openRequest("GET", uri.getRawPath());
    return request.sendRequest()
        .thenCompose(v -> request.receiveResponse())
        .thenCompose(h -> drain(request, ByteBuffer.allocate(1024), 0))
        .whenComplete((n, e) -> request.close());
  }

  private static CompletableFuture<Long> drain(Request request, ByteBuffer buffer, long total) {
    return request.readData(buffer.clear()).thenCompose(n -> n == 0
        ? CompletableFuture.completedFuture(total) : drain(request, buffer, total + n));
  }

  /**
   * The live heap once the closes submitted to the loops have run (they are asynchronous): measured
   * until two readings agree within 0.5 %, a few times at most.
   */
  private static long settledHeap() throws Exception {
    long previous = heapAfterFullGc();
    for (int i = 0; i < 10; i++) {
      Thread.sleep(300); // a measuring harness: lets the loops finish the queued closes
      long now = heapAfterFullGc();
      if (Math.abs(now - previous) < previous / 200) {
        return Math.min(now, previous);
      }
      previous = now;
    }
    return previous;
  }

  /**
   * The bytes of all live objects, from the JVM's class histogram (which runs a full GC first):
   * exact, where the heap's "used" figure after System.gc() also counts region slack.
   */
  private static long heapAfterFullGc() throws Exception {
    String[] lines = histogram().split("\n");
    String[] total = lines[lines.length - 1].trim().split("\\s+"); // "Total <instances> <bytes>"
    return Long.parseLong(total[2]);
  }

  private static String histogram() throws Exception {
    return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
        "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()}));
  }

  private static void printHistogram(int lines) throws Exception {
    String[] all = histogram().split("\n");
    for (int i = 0; i < Math.min(lines, all.length); i++) {
      System.out.println(all[i]);
    }
    System.out.println(all[all.length - 1]); // the total of live objects
  }

  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
