package dev.telltale.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the runs' JSON lines into the benchmark table: the median over rounds of every figure,
 * each with its ratio to the best <em>other</em> Java client in the same run (wrk is the ceiling,
 * never a competitor; telltale-all is telltale with every notification on, compared like
 * telltale). Writes markdown and JSON.
 *
 * <p>Arguments: results.jsonl out.md out.json header-file (machine and command text).
 */
public final class ReportMain {
  static final List<String> JAVA = List.of("telltale", "jdk", "okhttp", "jetty", "apache");
  static final List<String> ORDER = List.of("telltale", "telltale-all", "jdk", "okhttp", "jetty",
      "apache", "wrk");
  static final List<String> SCENARIOS = List.of("seq1", "c64", "c256", "download", "tls16");
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");

  private ReportMain() {}

  public static void main(String[] args) throws Exception {
    List<Map<String, String>> runs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.startsWith("{")) {
        runs.add(parse(line));
      }
    }
    Map<String, Map<String, Map<String, Double>>> medians = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> errors = new LinkedHashMap<>();
    for (String scenario : SCENARIOS) {
      for (String client : ORDER) {
        List<Map<String, String>> mine = runs.stream()
            .filter(r -> scenario.equals(r.get("scenario")) && client.equals(r.get("client"))).toList();
        if (mine.isEmpty()) {
          continue;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String key : List.of("rps", "mibps", "p50_us", "p99_us", "cpu_us_per_req")) {
          m.put(key, median(mine.stream().mapToDouble(r -> Double.parseDouble(r.get(key))).toArray()));
        }
        m.put("rounds", (double) mine.size());
        medians.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(client, m);
        errors.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(client,
            mine.stream().mapToInt(r -> Integer.parseInt(r.get("errors"))).sum());
      }
    }
    String header = args.length > 3 ? Files.readString(Path.of(args[3])) : "";
    String md = markdown(header, medians, errors);
    Files.writeString(Path.of(args[1]), md);
    Files.writeString(Path.of(args[2]), json(medians, errors, runs));
    System.out.print(md);
  }

  private static String markdown(String header, Map<String, Map<String, Map<String, Double>>> medians,
      Map<String, Map<String, Integer>> errors) {
    StringBuilder md = new StringBuilder(header);
    md.append("\nFigures are medians over the rounds. `×` is the ratio to the best *other* Java client "
        + "in the same run: above 1 is better for req/s and MiB/s, below 1 is better for latency "
        + "and CPU. CPU is the client process's user+system time (all its threads: I/O, GC, JIT) "
        + "per request over the measured window, from /proc.\n\n");
    md.append("| scenario | client | req/s | × | MiB/s | × | p50 µs | × | p99 µs | CPU µs/req | × | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var scenario : medians.entrySet()) {
      for (var client : scenario.getValue().entrySet()) {
        Map<String, Double> m = client.getValue();
        String name = client.getKey();
        boolean download = scenario.getKey().equals("download");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n",
            scenario.getKey(), name,
            download ? "" : fmt(m.get("rps"), 0), download ? "" : ratio(scenario.getValue(), name, "rps", true),
            download ? fmt(m.get("mibps"), 0) : "", download ? ratio(scenario.getValue(), name, "mibps", true) : "",
            fmt(m.get("p50_us"), 0), ratio(scenario.getValue(), name, "p50_us", false),
            fmt(m.get("p99_us"), 0), fmt(m.get("cpu_us_per_req"), 1),
            ratio(scenario.getValue(), name, "cpu_us_per_req", false),
            errors.get(scenario.getKey()).get(name)));
      }
    }
    return md.toString();
  }

  /** This client's figure over the best other Java client's ("" for wrk or when none). */
  private static String ratio(Map<String, Map<String, Double>> clients, String name, String key,
      boolean higherIsBetter) {
    if (name.equals("wrk")) {
      return "";
    }
    String self = name.startsWith("telltale") ? "telltale" : name;
    Double best = null;
    for (String other : JAVA) {
      Map<String, Double> m = clients.get(other);
      if (other.equals(self) || m == null || m.get(key) <= 0) {
        continue;
      }
      double v = m.get(key);
      if (best == null || (higherIsBetter ? v > best : v < best)) {
        best = v;
      }
    }
    double mine = clients.get(name).get(key);
    return best == null || mine <= 0 ? "" : String.format(Locale.ROOT, "%.2f", mine / best);
  }

  private static String json(Map<String, Map<String, Map<String, Double>>> medians,
      Map<String, Map<String, Integer>> errors, List<Map<String, String>> runs) {
    StringBuilder j = new StringBuilder("{\"medians\":{");
    boolean firstScenario = true;
    for (var scenario : medians.entrySet()) {
      j.append(firstScenario ? "" : ",").append('"').append(scenario.getKey()).append("\":{");
      firstScenario = false;
      boolean firstClient = true;
      for (var client : scenario.getValue().entrySet()) {
        j.append(firstClient ? "" : ",").append('"').append(client.getKey()).append("\":{");
        firstClient = false;
        boolean firstKey = true;
        for (var kv : client.getValue().entrySet()) {
          j.append(firstKey ? "" : ",").append('"').append(kv.getKey()).append("\":")
              .append(String.format(Locale.ROOT, "%.2f", kv.getValue()));
          firstKey = false;
        }
        j.append(",\"errors\":").append(errors.get(scenario.getKey()).get(client.getKey())).append('}');
      }
      j.append('}');
    }
    j.append("},\"runs\":").append(runs.size()).append("}\n");
    return j.toString();
  }

  private static String fmt(Double v, int decimals) {
    return v == null ? "" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static double median(double[] values) {
    java.util.Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  static Map<String, String> parse(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    Matcher matcher = FIELD.matcher(line);
    while (matcher.find()) {
      m.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3) : matcher.group(2));
    }
    return m;
  }
}
