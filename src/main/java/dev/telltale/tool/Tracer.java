package dev.telltale.tool;

import dev.telltale.Connect;
import dev.telltale.Decompression;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.SecurityFlag;
import dev.telltale.Session;
import dev.telltale.internal.util.Clock;
import java.io.IOException;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code telltale} command-line tracer: fetches a URL with telltale and prints every status
 * notification as it happens (elapsed time, handle, status, payload), the response head, then a
 * waterfall of the request's phases from {@link dev.telltale.Request#timings()} (queued, resolve,
 * connect, tls, send, wait, download, first byte, total).
 *
 * <p>Without a URL it starts an embedded server on 127.0.0.1 and traces a short demo against it in
 * one session: {@code /hello}, {@code /hello} again on the pooled connection (no resolve or connect
 * events), {@code /redirect} (302 to {@code /hello}) and {@code /chunked}.
 *
 * <p>Options ({@link Options}): {@code -X METHOD}, {@code -H 'Name: value'}, {@code -d DATA} or
 * {@code -d @FILE}, {@code -o FILE}, {@code -k}, {@code --flags LIST}, {@code --json}, {@code
 * --progress}, {@code -h}; and, to watch the library's connectivity features at work, {@code -x
 * PROXY_URL}, {@code --noproxy LIST}, {@code -u USER:PASSWORD} (a 401 answered as a WinHTTP
 * application does, both exchanges traced), {@code --basic}, {@code -U USER:PASSWORD}, {@code
 * --compressed} and {@code -b} (a cookie jar for the run, printed at the end). The download's
 * progress is drawn on stderr when it is a terminal or with {@code --progress}, never with {@code
 * --json}.
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
      usage: telltale [options] [URL]
             telltale [-H 'N: v'] [-d MESSAGE] [-k] [-x URL] [-b] [--flags LIST] [--json]
                      ws[s]://...

      Fetches URL (http or https) with telltale and prints each status notification as
      it happens, the negotiated TLS protocol and cipher suite, the response head, then
      a waterfall of the request's phases (queued, resolve, connect, tls, send, wait,
      download) with the time to the first byte and the total. Without a URL, traces a
      demo against an embedded server on 127.0.0.1: /hello, /hello again (pooled),
      /redirect and /chunked. With a ws:// or wss:// URL: upgrades to a websocket,
      sends MESSAGE (-d; default "hello from telltale"), prints what comes back until
      its echo, then closes the websocket with 1000.

      options:
        -X, --request METHOD  the method (default GET, or POST with -d)
        -H, --header 'N: v'   add a request header (repeatable)
        -d, --data DATA       send DATA as the body; -d @FILE sends the file's bytes
        -o, --output FILE     save the body to FILE (otherwise it is counted, discarded)
        -k, --insecure        ignore every certificate problem (all SECURITY_FLAGS)
        --flags LIST          the notifications to print, comma-separated: statuses
                              (RESOLVING_NAME), flag names (SEND_REQUEST, HANDLES,
                              ALL_COMPLETIONS) or hex masks (0x30); default all
        --json                print events as JSON lines, and a summary line per request
        --progress            draw the download's progress on stderr even if it is not
                              a terminal (never with --json)
        -x, --proxy URL       go through a proxy: http://[user:password@]host:port or
                              socks5://[user:password@]host:port (user and password
                              percent-decoded; sent to the proxy at once)
        --noproxy LIST        hosts that connect directly, comma-separated: names,
                              .suffix or *.suffix, IP literals, <local>; * for all
        -u, --user U:P        server credentials: on a 401, queryAuthSchemes, then
                              setCredentials (Digest over Basic) and send again
        --basic               send the -u credentials with Basic at once instead
        -U, --proxy-user U:P  proxy credentials: on a 407 (plain http through an http
                              proxy) as -u; for tunnels (https, socks5) sent at once
        --compressed          ask for and decode gzip and deflate bodies (DECOMPRESSION)
        -b, --cookies         keep cookies for the run (a CookieManager); redirects and
                              retries carry them; the cookies stored are printed last
        -h, --help            print this help

      -X, -H, -d and -o need a URL; --noproxy and -U need -x; --basic needs -u.
      exit status: 0 success, 1 request error, 2 usage error""";

  private Tracer() {}

  /** Runs the tracer with the command-line arguments and exits with its status. */
  public static void main(String[] args) {
    // No SLF4J provider on a bare class path: skip SLF4J's "defaulting to no-operation" notice.
    System.getProperties().putIfAbsent("slf4j.internal.verbosity", "ERROR");
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tracer, printing to {@code out} and drawing progress on {@code System.err}.
   *
   * @see #run(String[], PrintStream, PrintStream)
   */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, System.err);
  }

  /**
   * Runs the tracer, printing to {@code out}, and returns its exit status. Blank arguments are
   * ignored and a single argument holding spaces is split into words (quotes group them), so a
   * build tool's empty or quoted argument property works.
   *
   * @param args options and at most one URL (see {@code -h})
   * @param out where the trace goes
   * @param err where the download's progress is drawn: if {@code System.console()} is not null or
   *     with {@code --progress}, never with {@code --json}
   * @return {@link #OK}, {@link #REQUEST_FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      return usage(out, e.getMessage());
    }
    if (options.help()) {
      out.println(HELP);
      return OK;
    }
    try {
      return options.url() == null ? demo(options, out, err) : fetch(options, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("error: interrupted");
      return REQUEST_FAILED;
    }
  }

  private static int fetch(Options options, PrintStream out, PrintStream err)
      throws InterruptedException {
    String url = options.url();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return usage(out, "malformed URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean webSocket = scheme.equals("ws") || scheme.equals("wss");
    boolean secure = scheme.equals("https") || scheme.equals("wss");
    if (!(secure || scheme.equals("http") || webSocket) || uri.getHost() == null) {
      return usage(out, "not an http, https, ws or wss URL: " + url);
    }
    int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    if (webSocket) {
      if (options.output() != null || options.explicitMethod() != null) {
        return usage(out, "-X and -o do not apply to a websocket");
      }
      if (options.user() != null || options.compressed()) {
        return usage(out, "-u, --basic and --compressed do not apply to a websocket");
      }
      byte[] message = options.body() == null ? "hello from telltale".getBytes(StandardCharsets.UTF_8)
          : options.body();
      String target = path;
      if (!options.json()) {
        out.println("telltale: websocket " + url);
      }
      CookieManager cookies = options.cookies() ? new CookieManager() : null;
      int status = session(uri.getHost(), port, options, options.proxyFor(false), cookies, out,
          (connect, printer) -> new WebSocketTrace(printer, out, options.json()).run(connect,
              target, secure, options.headers(), message));
      printCookies(cookies, out, options.json());
      return status;
    }
    if (!options.json()) {
      out.println("telltale: " + options.method() + " " + url);
    }
    RequestTrace.Step step = new RequestTrace.Step(options.method(), path, options.headers(),
        options.body(), options.output(), null);
    return trace(uri.getHost(), port, secure, options, List.of(step), out, err);
  }

  private static int demo(Options options, PrintStream out, PrintStream err)
      throws InterruptedException {
    EmbeddedServer server;
    try {
      server = EmbeddedServer.start();
    } catch (IOException e) {
      out.println("error: cannot start the embedded server: " + e);
      return REQUEST_FAILED;
    }
    try (server) {
      if (!options.json()) {
        out.println("telltale demo: embedded server at http://" + server.host() + ":"
            + server.port());
      }
      return trace(server.host(), server.port(), false, options, List.of(
          RequestTrace.Step.get("/hello", "a new connection: resolve, connect, send, receive, read"),
          RequestTrace.Step.get("/hello",
              "the same again: the pooled connection is reused, no connect events"),
          RequestTrace.Step.get("/redirect", "302 to /hello: REDIRECT, then one more internal cycle"),
          RequestTrace.Step.get("/chunked", "a chunked body read to its end")), out, err);
    }
  }

  /**
   * Runs the steps one after the other in one session and one connect handle, then closes both
   * and waits for the session's HANDLE_CLOSING (and its I/O threads). Stops at the first failure.
   * Last come the JSON summaries and the cookies stored ({@code -b}).
   */
  private static int trace(String host, int port, boolean secure, Options options,
      List<RequestTrace.Step> steps, PrintStream out, PrintStream err) throws InterruptedException {
    boolean json = options.json();
    boolean progress = !json && (options.progress() || System.console() != null);
    RequestTrace.Login login = new RequestTrace.Login(options.user(), options.basic(),
        options.proxyChallengeUser(!secure));
    CookieManager cookies = options.cookies() ? new CookieManager() : null;
    ProxySettings proxy = options.proxyFor(!secure);
    RequestTrace[] runner = new RequestTrace[1];
    try {
      return session(host, port, options, proxy, cookies, out, (connect, printer) -> {
        runner[0] = new RequestTrace(printer, out, progress ? err : null, json, login,
            options.compressed());
        int status = OK;
        for (RequestTrace.Step step : steps) {
          if (!json) {
            out.println();
            out.println("> " + step.method() + " " + step.path()
                + (step.note() == null ? "" : "  # " + step.note()));
          }
          status = runner[0].run(connect, step, secure);
          if (status != OK) {
            break;
          }
        }
        return status;
      });
    } finally {
      if (runner[0] != null) {
        runner[0].printSummaries(); // --json: after every event, the last lines
      }
      printCookies(cookies, out, json);
    }
  }

  /**
   * {@code -b}: the cookies {@code cookies} holds, one per line as {@code name=value; Domain=...;
   * Path=...}, or as one JSON line without values; nothing if {@code cookies} is null.
   */
  private static void printCookies(CookieManager cookies, PrintStream out, boolean json) {
    if (cookies == null) {
      return;
    }
    List<HttpCookie> stored = cookies.getCookieStore().getCookies();
    synchronized (out) {
      if (json) {
        out.println(JsonEvents.cookies(stored));
        return;
      }
      out.println("cookies: " + stored.size() + " stored");
      for (HttpCookie c : stored) {
        out.println("  " + c.getName() + "=" + c.getValue()
            + (c.getDomain() == null ? "" : "; Domain=" + c.getDomain())
            + (c.getPath() == null ? "" : "; Path=" + c.getPath())
            + (c.getSecure() ? "; Secure" : "") + (c.isHttpOnly() ? "; HttpOnly" : "")
            + (c.getMaxAge() < 0 ? "" : "; Max-Age=" + c.getMaxAge()));
      }
    }
  }

  /** What runs on the connect handle of a traced session. */
  private interface Work {
    int run(Connect connect, EventPrinter printer) throws InterruptedException;
  }

  /**
   * Opens a session printing its events (through {@code proxy}, with {@code cookies} if not null)
   * and a connect handle, runs {@code work}, then closes both and waits for the session's
   * HANDLE_CLOSING (and its I/O threads).
   */
  private static int session(String host, int port, Options options, ProxySettings proxy,
      CookieManager cookies, PrintStream out, Work work) throws InterruptedException {
    boolean json = options.json();
    EventPrinter printer = new EventPrinter(out, Clock.nanoTime(), json, options.flags());
    Session.Builder builder = Session.builder().proxy(proxy);
    if (cookies != null) {
      builder.cookieHandler(cookies);
    }
    Session session = builder.build();
    session.setStatusCallback(printer, printer.callbackFlags());
    if (options.insecure()) {
      session.setOption(Option.SECURITY_FLAGS, EnumSet.allOf(SecurityFlag.class));
    }
    if (options.compressed()) {
      session.setOption(Option.DECOMPRESSION, EnumSet.allOf(Decompression.class));
    }
    int status = OK;
    try {
      Connect connect = session.connect(host, port);
      try {
        status = work.run(connect, printer);
      } finally {
        if (!json) {
          out.println();
        }
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
}
