package dev.telltale.tool;

import dev.telltale.AuthScheme;
import dev.telltale.AuthSchemes;
import dev.telltale.AuthTarget;
import dev.telltale.Connect;
import dev.telltale.HandleException;
import dev.telltale.HttpException;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Request;
import dev.telltale.RequestTimings;
import dev.telltale.ResponseHeaders;
import dev.telltale.SecurityInfo;
import dev.telltale.internal.codec.ContentDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

/**
 * One traced request: open it, add the headers, send it (with its body), receive the response,
 * print the status line and headers, read the body to its end (saving it to a file or counting and
 * discarding it, with a progress bar), then print the phase waterfall from {@link
 * Request#timings()}, close the request and wait for its HANDLE_CLOSING. A 401 (407) is answered
 * as a WinHTTP application answers it when credentials were given ({@link Login}): the challenge's
 * body is read and discarded, {@link Request#queryAuthSchemes()} says what is offered, {@link
 * Request#setCredentials} picks Digest over Basic, and the request is sent once more on the same
 * handle, so both exchanges show in the trace. The events themselves are
 * printed by the {@link EventPrinter} installed on the session, as they happen. With {@code json},
 * nothing is printed here but a summary line per request ({@link JsonEvents#summary}), kept for
 * {@link #printSummaries()}.
 */
final class RequestTrace {
  private static final int READ_BUFFER_SIZE = 16 * 1024;

  /**
   * What to send: method, path (with its query), headers, body (or null), where to save the
   * response body (or null) and what the request shows (for the demo; or null).
   */
  record Step(String method, String path, List<Options.Header> headers, byte[] body, Path output,
      String note) {
    /** A GET without headers, body or output file. */
    static Step get(String path, String note) {
      return new Step("GET", path, List.of(), null, null, note);
    }
  }

  /**
   * The credentials to answer challenges with (each null if not given): {@code server} ({@code
   * -u}), sent pre-emptively with Basic if {@code preemptiveBasic} ({@code --basic}), else after a
   * 401; {@code proxy} ({@code -U}) after a 407.
   */
  record Login(Options.Credentials server, boolean preemptiveBasic, Options.Credentials proxy) {
    /** No credentials: every 401 and 407 is the response. */
    static final Login NONE = new Login(null, false, null);
  }

  /** Credentials set on the request: for whom, with which scheme, and the status that asked. */
  record Answer(AuthTarget target, AuthScheme scheme, int challengeStatus) {}

  /** What came of a request, besides its timings; filled in as it goes. */
  static final class Outcome {
    final Step step;
    int statusCode; // 0 until a final response arrived
    long bodyBytes;
    SecurityInfo security;
    Throwable failure;
    /** The credentials set, in order (challengeStatus 0: pre-emptive). */
    final List<Answer> answers = new ArrayList<>();
    /** The Content-Encoding telltale decoded (--compressed), or null. */
    String decodedCoding;
    /** The encoded body's size when the response declared it, else -1. */
    long encodedBytes = -1;

    Outcome(Step step) {
      this.step = step;
    }
  }

  private final EventPrinter printer;
  private final PrintStream out;
  private final PrintStream progressStream;
  private final boolean json;
  private final Login login;
  private final boolean compressed;
  private final List<String> summaries = new ArrayList<>();

  /**
   * A runner of steps that prints to {@code out} (as JSON if {@code json}), draws the progress of
   * downloads on {@code progressStream} (null: no progress bar), answers challenges with {@code
   * login}'s credentials and, if {@code compressed}, reports bodies the session's DECOMPRESSION
   * option decoded.
   */
  RequestTrace(EventPrinter printer, PrintStream out, PrintStream progressStream, boolean json,
      Login login, boolean compressed) {
    this.printer = printer;
    this.out = out;
    this.progressStream = progressStream;
    this.json = json;
    this.login = login;
    this.compressed = compressed;
  }

  /**
   * Runs one request and returns the tracer's exit status: 0 if the body was read to its end, 1 if
   * an operation failed or the body could not be saved (the error is printed).
   */
  int run(Connect connect, Step step, boolean secure) throws InterruptedException {
    Request request = secure
        ? connect.openRequest(step.method(), step.path(), OpenRequestFlag.SECURE)
        : connect.openRequest(step.method(), step.path());
    boolean hasBody = progressStream != null && !step.method().equals("HEAD");
    ProgressBar progress = hasBody ? new ProgressBar(progressStream) : ProgressBar.DISABLED;
    request.setContext(progress); // READ_COMPLETE reaches the bar as the event's context
    Outcome outcome = new Outcome(step);
    try {
      try {
        exchange(request, progress, outcome);
      } catch (ExecutionException e) {
        outcome.failure = e.getCause();
      } catch (IOException e) {
        outcome.failure = e;
      }
      progress.finish();
      report(outcome, request.timings()); // final, unless saving the body failed midway
      return outcome.failure == null ? Tracer.OK : Tracer.REQUEST_FAILED;
    } finally {
      request.close();
      printer.awaitClosing(request);
    }
  }

  /**
   * With {@code json}, prints the summary lines of the requests run so far (in order) and forgets
   * them: the tracer calls this last, after the session's HANDLE_CLOSING.
   */
  void printSummaries() {
    synchronized (out) {
      summaries.forEach(out::println);
    }
    summaries.clear();
  }

  private void exchange(Request request, ProgressBar progress, Outcome outcome)
      throws ExecutionException, InterruptedException, IOException {
    Step step = outcome.step;
    for (Options.Header header : step.headers()) {
      request.addHeader(header.name(), header.value());
    }
    Set<AuthTarget> answered = EnumSet.noneOf(AuthTarget.class);
    if (login.server() != null && login.preemptiveBasic()) {
      Options.Credentials c = login.server();
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, c.user(), c.password());
      outcome.answers.add(new Answer(AuthTarget.SERVER, AuthScheme.BASIC, 0));
      answered.add(AuthTarget.SERVER); // a 401 now means Basic was refused: it is the response
    }
    send(request, step);
    outcome.security = request.securityInfo().orElse(null);
    if (outcome.security != null) {
      text("tls: " + outcome.security.protocol() + " " + outcome.security.cipherSuite());
    }
    ResponseHeaders headers = request.receiveResponse().get();
    if (!json) {
      printHeaders(headers);
    }
    for (Challenge challenge = challenge(request, headers, answered); challenge != null;
        challenge = challenge(request, headers, answered)) {
      readToEnd(request, null, new Outcome(step)); // the challenge's body, read so the connection stays
      text(challenge.line());
      Answer answer = challenge.answer();
      Options.Credentials c = answer.target() == AuthTarget.SERVER ? login.server() : login.proxy();
      request.setCredentials(answer.target(), answer.scheme(), c.user(), c.password());
      outcome.answers.add(answer);
      answered.add(answer.target());
      text("> " + step.method() + " " + step.path() + "  # sent again with the "
          + lower(answer.target()) + " credentials");
      send(request, step);
      headers = request.receiveResponse().get();
      if (!json) {
        printHeaders(headers);
      }
    }
    outcome.statusCode = headers.statusCode();
    outcome.decodedCoding = decodedCoding(headers);
    if (outcome.decodedCoding != null) {
      // Content-Length counts the encoded bytes while READ_COMPLETE counts decoded ones
      outcome.encodedBytes = headers.contentLength().orElse(-1);
      progress.start(OptionalLong.empty());
    } else {
      progress.start(headers.contentLength());
    }
    if (step.output() == null) {
      readToEnd(request, null, outcome);
    } else {
      try (FileChannel file = FileChannel.open(step.output(), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        readToEnd(request, file, outcome);
      }
    }
  }

  private static void send(Request request, Step step)
      throws ExecutionException, InterruptedException {
    if (step.body() == null) {
      request.sendRequest().get();
    } else {
      request.sendRequest(null, ByteBuffer.wrap(step.body()), step.body().length, null).get();
    }
  }

  /** A challenge to answer with {@code answer}; {@code line} tells what queryAuthSchemes said. */
  private record Challenge(Answer answer, String line) {}

  /**
   * The challenge to answer in {@code headers}, as a WinHTTP application decides: a 401 (407) for
   * which {@code -u} ({@code -U}) was given and not yet used, whose {@link
   * Request#queryAuthSchemes()} include Digest (preferred) or Basic. Null when the response is the
   * final one; the reason is printed when a challenge goes unanswered.
   */
  private Challenge challenge(Request request, ResponseHeaders headers,
      Set<AuthTarget> answered) {
    int status = headers.statusCode();
    AuthTarget target = status == 401 ? AuthTarget.SERVER : status == 407 ? AuthTarget.PROXY
        : null;
    Options.Credentials credentials = target == AuthTarget.SERVER ? login.server()
        : target == AuthTarget.PROXY ? login.proxy() : null;
    if (credentials == null) {
      return null;
    }
    if (answered.contains(target)) {
      text("auth: the " + lower(target) + " refused the credentials");
      return null;
    }
    AuthSchemes offered;
    try {
      offered = request.queryAuthSchemes();
    } catch (HandleException e) {
      text("auth: " + e.getMessage());
      return null;
    }
    AuthScheme scheme = offered.supported().contains(AuthScheme.DIGEST) ? AuthScheme.DIGEST
        : offered.supported().contains(AuthScheme.BASIC) ? AuthScheme.BASIC : null;
    String schemes = String.join(", ", new TreeSet<>(offered.supported()).stream()
        .map(AuthScheme::name).toList());
    String line = "auth: queryAuthSchemes: " + schemes + " (first " + offered.first()
        + ", target " + offered.target() + ")";
    if (scheme == null) {
      text(line + "; none telltale can answer");
      return null;
    }
    return new Challenge(new Answer(offered.target(), scheme, status), line + "; setCredentials("
        + offered.target() + ", " + scheme + ", \"" + credentials.user() + "\", ...)");
  }

  /**
   * The codings of a body telltale decodes with {@code --compressed} (as the engine decides: see
   * ContentDecoder), or null when it is delivered as received.
   */
  private String decodedCoding(ResponseHeaders headers) {
    if (!compressed) {
      return null;
    }
    List<String> codings = ContentDecoder.decodable(headers.values("Content-Encoding"), true, true);
    return codings == null ? null : String.join(", ", codings).toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the body to its end, into {@code file} if not null, counting it in {@code
   * outcome.bodyBytes} as it goes (so a failure midway reports what was read).
   */
  private static void readToEnd(Request request, FileChannel file, Outcome outcome)
      throws ExecutionException, InterruptedException, IOException {
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
    while (true) {
      buffer.clear();
      int n = request.readData(buffer).get();
      if (n == 0) {
        return;
      }
      outcome.bodyBytes += n;
      if (file != null) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          file.write(buffer);
        }
      }
    }
  }

  private void report(Outcome outcome, RequestTimings timings) {
    if (json) {
      summaries.add(JsonEvents.summary(outcome, timings));
      return;
    }
    synchronized (out) {
      if (outcome.failure != null) {
        out.println(error(outcome.failure, outcome.step.output()));
      }
      out.println("timings:");
      Waterfall.render(timings).forEach(out::println);
      out.println("  bytes      " + timings.bytesSent() + " sent, " + timings.bytesReceived()
          + " received");
      Path output = outcome.step.output();
      out.println("  body       " + plural(outcome.bodyBytes, "byte") + decoded(outcome)
          + (output == null ? ", discarded" : ", saved to " + output));
    }
  }

  private void printHeaders(ResponseHeaders headers) {
    synchronized (out) {
      String reason = headers.reasonPhrase();
      out.println(headers.version() + " " + headers.statusCode()
          + (reason.isEmpty() ? "" : " " + reason));
      for (int i = 0; i < headers.fieldCount(); i++) {
        out.println(headers.fieldName(i) + ": " + headers.fieldValue(i));
      }
    }
  }

  private void text(String line) {
    if (!json) {
      synchronized (out) {
        out.println(line);
      }
    }
  }

  private static String error(Throwable cause, Path output) {
    if (cause instanceof HttpException e) {
      return "error: " + e.code() + " (" + e.code().value() + "): " + e.getMessage();
    }
    if (cause instanceof IOException && output != null) {
      return "error: cannot save the body to " + output + ": " + cause;
    }
    return "error: " + cause;
  }

  /** {@code ", decoded from 31 gzip bytes"} (or {@code "from gzip"} if the size is unknown). */
  private static String decoded(Outcome outcome) {
    if (outcome.decodedCoding == null) {
      return "";
    }
    return ", decoded from " + (outcome.encodedBytes < 0 ? outcome.decodedCoding
        : outcome.encodedBytes + " " + outcome.decodedCoding + " bytes");
  }

  private static String lower(AuthTarget target) {
    return target.name().toLowerCase(Locale.ROOT);
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
