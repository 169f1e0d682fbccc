package dev.telltale.websocket;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real, independently written WebSocket server for the tests: Node's {@code ws} package (from
 * the npm registry, installed on first use into {@code target/ws-echo}) running
 * {@code src/test/resources/ws-echo/server.js} on 127.0.0.1. Tests using it are skipped, with the
 * reason, only when node or npm is not installed; an npm install that fails is a test failure.
 * The server exits when its stdin closes, so a crashed test JVM does not leave it behind.
 */
final class NodeWsServer implements AutoCloseable {
  private static final Path DIR = Path.of("target", "ws-echo");
  private static volatile boolean installed;

  private final Process process;
  private final int port;

  private NodeWsServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server; {@code mode} is "off", "on" (permessage-deflate) or "no-context". */
  static NodeWsServer start(String mode) throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: Node ws tests skipped");
    install();
    Process process = new ProcessBuilder("node", "server.js", mode).directory(DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line = first.get(30, TimeUnit.SECONDS);
    if (line == null || !line.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new AssertionError("the node ws server did not start: " + line);
    }
    return new NodeWsServer(process, Integer.parseInt(line.substring(5).trim()));
  }

  int port() {
    return port;
  }

  private static synchronized void install() throws Exception {
    if (installed) {
      return;
    }
    Files.createDirectories(DIR);
    for (String file : List.of("package.json", "server.js")) {
      try (InputStream in = NodeWsServer.class.getResourceAsStream("/ws-echo/" + file)) {
        Files.copy(in, DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("ws"))) {
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(DIR.toFile()).redirectErrorStream(true).start();
      String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new AssertionError("npm install ws failed: " + output);
      }
    }
    installed = true;
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close(); // the server exits when its stdin ends
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
