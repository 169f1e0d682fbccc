package dev.telltale.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk as the ceiling: one wrk thread with the scenario's connections, run for warm-up plus the
 * measured window; its CPU time is sampled from /proc/PID/stat over the measured window only,
 * like the Java clients'. Requests per second, latency percentiles and transfer rate are wrk's
 * own (over its whole run, which needs no warm-up). Prints the same JSON line as {@link LoadMain}.
 */
public final class WrkMain {
  private WrkMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    int conns = Integer.parseInt(a.getOrDefault("conns", "1"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "2"));
    double measure = Double.parseDouble(a.getOrDefault("measure", "5"));
    long total = (long) Math.ceil(warmup + measure + 0.5);
    Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + conns, "-d" + total + "s", "--latency",
        a.get("url")).redirectErrorStream(true).start();
    String pid = String.valueOf(wrk.pid());
    Thread.sleep((long) (warmup * 1000)); // the window is wall time: nothing to synchronize
    long t0 = System.nanoTime();
    long c0 = CpuTime.ticks(pid);
    Thread.sleep((long) (measure * 1000));
    long c1 = CpuTime.ticks(pid);
    double window = (System.nanoTime() - t0) / 1e9;
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    wrk.waitFor();
    double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
    double cpu = (c1 - c0) / (double) CpuTime.TICKS_PER_SECOND;
    double transfer = transferMiB(out);
    int errors = (int) (number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)")
        + number(out, "Socket errors: connect ([0-9]+)"));
    String json = String.format(Locale.ROOT,
        "{\"client\":\"wrk\",\"scenario\":\"%s\",\"lanes\":%d,\"conns\":%d,\"seconds\":%.3f,"
            + "\"requests\":%d,\"rps\":%.1f,\"mibps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
            + "\"cpu_s\":%.3f,\"cpu_us_per_req\":%.2f,\"errors\":%d,\"drained\":true}",
        a.getOrDefault("scenario", "?"), conns, conns, window, (long) (rps * window), rps, transfer,
        micros(out, "50%"), micros(out, "99%"), cpu, rps == 0 ? 0 : cpu * 1e6 / (rps * window),
        errors);
    Args.emit(a, json);
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** A latency percentile line of --latency ("50%  123.45us"), in microseconds. */
  private static double micros(String text, String label) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(text);
    if (!m.find()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v;
      case "ms" -> v * 1e3;
      default -> v * 1e6;
    };
  }

  private static double transferMiB(String text) {
    Matcher m = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)").matcher(text);
    if (!m.find()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "GB" -> v * 1024;
      case "MB" -> v;
      case "KB" -> v / 1024;
      default -> v / (1024 * 1024);
    };
  }
}
