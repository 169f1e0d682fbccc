package dev.telltale.bench.load;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One client, one scenario, one fresh JVM: keeps {@code lanes} GETs in flight (each lane starts
 * its next request when the previous one finished), warms up, then measures requests, latency
 * and the whole process's CPU time (from /proc/self/stat, so GC and JIT threads count) over the
 * measured window only. Prints one JSON line.
 *
 * <p>Arguments are {@code key=value}: client, scenario, url, lanes, conns, warmup and measure
 * (seconds), truststore (a PKCS12 file, password "changeit").
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    String clientName = a.get("client");
    URI uri = URI.create(a.get("url"));
    int lanes = Integer.parseInt(a.getOrDefault("lanes", "1"));
    int conns = Integer.parseInt(a.getOrDefault("conns", String.valueOf(lanes)));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "2"));
    double measure = Double.parseDouble(a.getOrDefault("measure", "5"));
    int bufferSize = Integer.parseInt(a.getOrDefault("buffer", "65536"));

    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(a.get("truststore"))) {
      store.load(in, "changeit".toCharArray());
    }
    tmf.init(store);
    X509TrustManager trust = null;
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        trust = x;
      }
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new TrustManager[] {trust}, null);

    Run run = new Run(bufferSize);
    try (LoadClient client = Clients.named(clientName)) {
      client.start(conns, ssl, trust);
      for (int i = 0; i < lanes; i++) {
        run.startLane(client, uri);
      }
      sleepSeconds(warmup);
      Snapshot begin = run.snapshot();
      run.latencies.recording = true;
      sleepSeconds(measure);
      run.latencies.recording = false;
      Snapshot end = run.snapshot();
      run.stopping = true;
      boolean drained = run.idle.await(5, TimeUnit.SECONDS);
      print(a, clientName, lanes, conns, begin, end, run, drained);
    }
    System.exit(0); // some clients keep non-daemon threads until their pools time out
  }

  private static void print(Map<String, String> a, String client, int lanes, int conns,
      Snapshot begin, Snapshot end, Run run, boolean drained) {
    long requests = end.requests - begin.requests;
    double seconds = (end.nanos - begin.nanos) / 1e9;
    double cpuSeconds = (end.cpuTicks - begin.cpuTicks) / (double) CpuTime.TICKS_PER_SECOND;
    long bytes = end.bytes - begin.bytes;
    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT,
        "{\"client\":\"%s\",\"scenario\":\"%s\",\"lanes\":%d,\"conns\":%d,\"seconds\":%.3f,"
            + "\"requests\":%d,\"rps\":%.1f,\"mibps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
            + "\"cpu_s\":%.3f,\"cpu_us_per_req\":%.2f,\"errors\":%d,\"drained\":%b",
        client, a.getOrDefault("scenario", "?"), lanes, conns, seconds, requests,
        requests / seconds, bytes / seconds / (1024 * 1024),
        run.latencies.percentile(0.50) / 1e3, run.latencies.percentile(0.99) / 1e3,
        cpuSeconds, requests == 0 ? 0 : cpuSeconds * 1e6 / requests, run.errors.get(), drained));
    Throwable first = run.firstError.get();
    if (first != null) {
      json.append(",\"first_error\":\"").append(String.valueOf(first).replace('"', '\'')
          .replace('\n', ' ').replace('\\', '/')).append('"');
    }
    json.append('}');
    Args.emit(a, json.toString());
  }

  /** The measurement window is wall time by design: the harness waits, nothing to synchronize. */
  private static void sleepSeconds(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  private record Snapshot(long nanos, long requests, long bytes, long cpuTicks) {}

  /** The lanes' shared counters. */
  private static final class Run {
    final int bufferSize;
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<Throwable> firstError = new AtomicReference<>();
    final Latencies latencies = new Latencies();
    final AtomicLong active = new AtomicLong();
    final CountDownLatch idle = new CountDownLatch(1);
    volatile boolean stopping;
    long contentLength = -1;

    Run(int bufferSize) {
      this.bufferSize = bufferSize;
    }

    Snapshot snapshot() {
      return new Snapshot(System.nanoTime(), requests.sum(), bytes.sum(), CpuTime.processTicks());
    }

    void startLane(LoadClient client, URI uri) {
      active.incrementAndGet();
      // direct: a body read into it goes from the socket in one copy (what a user after speed does)
      new Lane(this, client, uri, ByteBuffer.allocateDirect(bufferSize)).next();
    }

    void laneEnded() {
      if (active.decrementAndGet() == 0) {
        idle.countDown();
      }
    }
  }

  /** One GET in flight at a time; the next starts from the previous one's completion. */
  private static final class Lane implements LoadClient.Done {
    private final Run run;
    private final LoadClient client;
    private final URI uri;
    private final ByteBuffer buffer;
    private long started;
    private int consecutiveErrors;

    Lane(Run run, LoadClient client, URI uri, ByteBuffer buffer) {
      this.run = run;
      this.client = client;
      this.uri = uri;
      this.buffer = buffer;
    }

    void next() {
      if (run.stopping || consecutiveErrors > 100) {
        run.laneEnded();
        return;
      }
      started = System.nanoTime();
      client.get(uri, this);
    }

    @Override
    public ByteBuffer buffer() {
      return buffer;
    }

    @Override
    public void completed(long bodyBytes) {
      run.latencies.record(System.nanoTime() - started);
      run.requests.increment();
      if (bodyBytes >= 0) {
        run.bytes.add(bodyBytes);
        run.contentLength = bodyBytes;
      } else if (run.contentLength > 0) {
        run.bytes.add(run.contentLength);
      }
      consecutiveErrors = 0;
      next();
    }

    @Override
    public void failed(Throwable error) {
      run.errors.incrementAndGet();
      run.firstError.compareAndSet(null, error);
      consecutiveErrors++;
      next();
    }
  }
}
