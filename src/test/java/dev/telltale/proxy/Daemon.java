package dev.telltale.proxy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy daemon (Debian's tinyproxy or dante's danted) run in the foreground by a test on
 * a free loopback port with a configuration generated into a temporary directory, and killed by
 * {@link #close()}. {@code .ci/run} installs the packages; where a binary is missing the test is
 * skipped with a message saying which package to install.
 */
final class Daemon implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private Daemon(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  int port() {
    return port;
  }

  /** The daemon's output so far, for failure messages. */
  String log() {
    try {
      return Files.readString(dir.resolve("out.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** tinyproxy on a free port; {@code basicAuth} "user password" or null. */
  static Daemon tinyproxy(String basicAuth) throws Exception {
    String binary = find("tinyproxy", "/usr/bin/tinyproxy", "/usr/sbin/tinyproxy");
    int port = freePort();
    Path dir = Files.createTempDirectory("telltale-tinyproxy");
    String conf = "Port " + port + "\n"
        + "Listen 127.0.0.1\n"
        + "Timeout 30\n"
        + "MaxClients 20\n"
        + "LogLevel Info\n"
        + "DisableViaHeader No\n"
        + (basicAuth == null ? "" : "BasicAuth " + basicAuth + "\n");
    Files.writeString(dir.resolve("tinyproxy.conf"), conf);
    return start(List.of(binary, "-d", "-c", dir.resolve("tinyproxy.conf").toString()), port, dir);
  }

  /** danted (SOCKS5, no authentication) on a free port. */
  static Daemon dante() throws Exception {
    String binary = find("danted (package dante-server)", "/usr/sbin/danted", "/usr/bin/danted");
    int port = freePort();
    Path dir = Files.createTempDirectory("telltale-dante");
    String conf = "logoutput: stderr\n"
        + "internal: 127.0.0.1 port = " + port + "\n"
        + "external: 127.0.0.1\n"
        + "clientmethod: none\n"
        + "socksmethod: none\n"
        + "user.privileged: root\n"
        + "user.unprivileged: nobody\n"
        + "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n"
        + "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n";
    Files.writeString(dir.resolve("danted.conf"), conf);
    return start(List.of(binary, "-f", dir.resolve("danted.conf").toString(),
        "-p", dir.resolve("danted.pid").toString()), port, dir);
  }

  private static String find(String name, String... candidates) {
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    assumeTrue(false, name + " is not installed (apt-get install tinyproxy dante-server; .ci/run"
        + " does it where it can): skipping the tests against the real proxy");
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static Daemon start(List<String> command, int port, Path dir) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile()).start();
    Daemon daemon = new Daemon(process, port, dir);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue()
            + ": " + daemon.log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return daemon;
      } catch (IOException notYet) {
        // the daemon is still starting: poll again, the wait bounded by the deadline
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
    daemon.close();
    throw new IllegalStateException(command.get(0) + " did not listen on " + port + " within 20 s: "
        + daemon.log());
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
