package dev.telltale.bench.load;

/** The clients by the names the benchmark script uses. */
final class Clients {
  private Clients() {}

  static LoadClient named(String name) {
    return switch (name) {
      case "telltale" -> new TelltaleClient();
      case "telltale-all" -> new TelltaleClient(true);
      case "jdk" -> new JdkClient();
      case "okhttp" -> new OkHttpLoadClient();
      case "jetty" -> new JettyLoadClient();
      case "apache" -> new ApacheLoadClient();
      default -> throw new IllegalArgumentException("unknown client: " + name
          + " (telltale, jdk, okhttp, jetty, apache)");
    };
  }
}
