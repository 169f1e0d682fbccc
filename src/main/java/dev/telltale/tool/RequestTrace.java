package dev.telltale.tool;

import dev.telltale.Connect;
import dev.telltale.HttpException;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Request;
import dev.telltale.RequestTimings;
import dev.telltale.ResponseHeaders;
import dev.telltale.SecurityInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * One traced request: open it, add the headers, send it (with its body), receive the response,
 * print the status line and headers, read the body to its end (saving it to a file or counting and
 * discarding it, with a progress bar), then print the phase waterfall from {@link
 * Request#timings()}, close the request and wait for its HANDLE_CLOSING. The events themselves are
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

  /** What came of a request, besides its timings; filled in as it goes. */
  static final class Outcome {
    final Step step;
    int statusCode; // 0 until a final response arrived
    long bodyBytes;
    SecurityInfo security;
    Throwable failure;

    Outcome(Step step) {
      this.step = step;
    }
  }

  private final EventPrinter printer;
  private final PrintStream out;
  private final PrintStream progressStream;
  private final boolean json;
  private final List<String> summaries = new ArrayList<>();

  /**
   * A runner of steps that prints to {@code out} (as JSON if {@code json}) and draws the progress
   * of downloads on {@code progressStream} (null: no progress bar).
   */
  RequestTrace(EventPrinter printer, PrintStream out, PrintStream progressStream, boolean json) {
    this.printer = printer;
    this.out = out;
    this.progressStream = progressStream;
    this.json = json;
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
    if (step.body() == null) {
      request.sendRequest().get();
    } else {
      request.sendRequest(null, ByteBuffer.wrap(step.body()), step.body().length, null).get();
    }
    outcome.security = request.securityInfo().orElse(null);
    if (outcome.security != null) {
      text("tls: " + outcome.security.protocol() + " " + outcome.security.cipherSuite());
    }
    ResponseHeaders headers = request.receiveResponse().get();
    outcome.statusCode = headers.statusCode();
    if (!json) {
      printHeaders(headers);
    }
    progress.start(headers.contentLength());
    if (step.output() == null) {
      readToEnd(request, null, outcome);
    } else {
      try (FileChannel file = FileChannel.open(step.output(), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        readToEnd(request, file, outcome);
      }
    }
  }

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
      out.println("  body       " + plural(outcome.bodyBytes, "byte")
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

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
