package dev.telltale.tool;

import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.SecurityFlag;
import dev.telltale.Session;
import dev.telltale.internal.util.Clock;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code telltale} command-line tracer: fetches a URL with telltale and prints every status
 * notification as it happens (elapsed time, handle, status, payload), then the response head and a
 * summary of the phases (resolve, connect, first byte, total) derived from the events.
 *
 * <p>Without a URL it starts an embedded server on 127.0.0.1 and traces a short demo against it in
 * one session: {@code /hello}, {@code /hello} again on the pooled connection (no resolve or connect
 * events), {@code /redirect} (302 to {@code /hello}) and {@code /chunked}.
 *
 * <p>Exit status: 0 on success, 1 if a request failed, 2 for a usage error.
 */
public final class Tracer {
  /** Exit status: the request (or the demo) completed. */
  public static final int OK = 0;
  /** Exit status: an operation failed; its error code was printed. */
  public static final int REQUEST_FAILED = 1;
  /** Exit status: the command line was not understood. */
  public static final int USAGE = 2;

  private static final String HELP = """
      usage: telltale [-k] [URL]

      Fetches URL (http or https) with telltale and prints each status notification as
      it happens, the negotiated TLS protocol and cipher suite, then the response head
      and the time spent resolving, connecting, in the TLS handshake and waiting for
      the first byte. Without a URL, traces a demo against an embedded server on
      127.0.0.1: /hello, /hello again (pooled), /redirect and /chunked.

      options:
        -k, --insecure  ignore every certificate problem (all SECURITY_FLAGS)
        -h, --help      print this help

      exit status: 0 success, 1 request error, 2 usage error""";

  private Tracer() {}

  /** Runs the tracer with the command-line arguments and exits with its status. */
  public static void main(String[] args) {
    // No SLF4J provider on a bare class path: skip SLF4J's "defaulting to no-operation" notice.
    System.getProperties().putIfAbsent("slf4j.internal.verbosity", "ERROR");
    System.exit(run(args, System.out));
  }

  /**
   * Runs the tracer, printing to {@code out}, and returns its exit status. Blank arguments are
   * ignored and arguments holding spaces are split, so a build tool's empty or quoted argument
   * property works.
   *
   * @param args at most one URL, or {@code -h}/{@code --help}
   * @param out where the trace goes
   * @return {@link #OK}, {@link #REQUEST_FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out) {
    List<String> words = words(args);
    if (words.contains("-h") || words.contains("--help")) {
      out.println(HELP);
      return OK;
    }
    boolean insecure = words.remove("-k") | words.remove("--insecure");
    if (words.size() > 1 || (words.size() == 1 && words.get(0).startsWith("-"))) {
      return usage(out, "expected at most one URL, got: " + String.join(" ", words));
    }
    try {
      return words.isEmpty() ? demo(out) : fetch(words.get(0), insecure, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("error: interrupted");
      return REQUEST_FAILED;
    }
  }

  private static int fetch(String url, boolean insecure, PrintStream out) throws InterruptedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return usage(out, "malformed URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("https");
    if (!(secure || scheme.equals("http")) || uri.getHost() == null) {
      return usage(out, "not an http or https URL: " + url);
    }
    int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    out.println("telltale: GET " + url);
    return trace(uri.getHost(), port, secure, insecure, List.of(new Step(path, null)), out);
  }

  private static int demo(PrintStream out) throws InterruptedException {
    EmbeddedServer server;
    try {
      server = EmbeddedServer.start();
    } catch (IOException e) {
      out.println("error: cannot start the embedded server: " + e);
      return REQUEST_FAILED;
    }
    try (server) {
      out.println("telltale demo: embedded server at http://" + server.host() + ":" + server.port());
      return trace(server.host(), server.port(), false, false, List.of(
          new Step("/hello", "a new connection: resolve, connect, send, receive, read"),
          new Step("/hello", "the same again: the pooled connection is reused, no connect events"),
          new Step("/redirect", "302 to /hello: REDIRECT, then one more internal cycle"),
          new Step("/chunked", "a chunked body read to its end")), out);
    }
  }

  /** One request of a trace, with what it shows (null: nothing to say). */
  private record Step(String path, String note) {}

  /**
   * Runs the steps one after the other in one session and one connect handle, then closes both
   * and waits for the session's HANDLE_CLOSING (and its I/O threads). Stops at the first failure.
   */
  private static int trace(String host, int port, boolean secure, boolean insecure, List<Step> steps,
      PrintStream out) throws InterruptedException {
    EventPrinter printer = new EventPrinter(out, Clock.nanoTime());
    Session session = Session.open();
    session.setStatusCallback(printer, NotificationFlags.ALL_NOTIFICATIONS);
    if (insecure) {
      session.setOption(Option.SECURITY_FLAGS, EnumSet.allOf(SecurityFlag.class));
    }
    int status = OK;
    try {
      Connect connect = session.connect(host, port);
      try {
        for (Step step : steps) {
          out.println();
          out.println("> GET " + step.path() + (step.note() == null ? "" : "  # " + step.note()));
          status = RequestTrace.run(connect, step.path(), secure, printer, out);
          if (status != OK) {
            break;
          }
        }
      } finally {
        out.println();
        connect.close();
      }
    } finally {
      session.close();
      printer.awaitClosing(session);
      session.awaitTermination(Duration.ofSeconds(10));
    }
    return status;
  }

  private static int usage(PrintStream out, String problem) {
    out.println("telltale: " + problem);
    out.println(HELP);
    return USAGE;
  }

  /** The arguments split at whitespace, blanks dropped. */
  private static List<String> words(String[] args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      for (String word : arg.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
    }
    return words;
  }
}
