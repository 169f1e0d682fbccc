package dev.telltale.tool;

import dev.telltale.Connect;
import dev.telltale.HttpException;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.internal.util.Clock;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;

/**
 * One traced GET: open the request, send it, receive the response, print the status line and
 * headers, read the body to its end (counting and discarding it), print the phase timings, close
 * the request and wait for its HANDLE_CLOSING. The events themselves are printed by the
 * {@link EventPrinter} installed on the session, as they happen.
 */
final class RequestTrace {
  private static final int READ_BUFFER_SIZE = 16 * 1024;

  private RequestTrace() {}

  /**
   * Runs the request and returns the tracer's exit status: 0 if the body was read to its end, 1 if
   * an operation failed (the error code and message are printed).
   */
  static int run(Connect connect, String path, boolean secure, EventPrinter printer, PrintStream out)
      throws InterruptedException {
    Request request = secure
        ? connect.openRequest("GET", path, OpenRequestFlag.SECURE)
        : connect.openRequest("GET", path);
    PhaseTimings timings = new PhaseTimings();
    if (secure) {
      timings.markSecure();
    }
    request.setContext(timings); // events of this request reach PhaseTimings as their context
    try {
      timings.markStart(Clock.nanoTime());
      request.sendRequest().get();
      request.securityInfo().ifPresent(info -> {
        synchronized (out) {
          out.println("tls: " + info.protocol() + " " + info.cipherSuite());
        }
      });
      ResponseHeaders headers = request.receiveResponse().get();
      printHeaders(headers, out);
      readToEnd(request);
      timings.markEnd(Clock.nanoTime());
      timings.print(out);
      return 0;
    } catch (ExecutionException e) {
      timings.markEnd(Clock.nanoTime());
      printError(e.getCause(), out);
      return 1;
    } finally {
      request.close();
      printer.awaitClosing(request);
    }
  }

  private static void readToEnd(Request request) throws ExecutionException, InterruptedException {
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
    while (true) {
      buffer.clear();
      if (request.readData(buffer).get() == 0) {
        return;
      }
    }
  }

  private static void printHeaders(ResponseHeaders headers, PrintStream out) {
    synchronized (out) {
      String reason = headers.reasonPhrase();
      out.println(headers.version() + " " + headers.statusCode()
          + (reason.isEmpty() ? "" : " " + reason));
      for (int i = 0; i < headers.fieldCount(); i++) {
        out.println(headers.fieldName(i) + ": " + headers.fieldValue(i));
      }
    }
  }

  private static void printError(Throwable cause, PrintStream out) {
    if (cause instanceof HttpException e) {
      out.println("error: " + e.code() + " (" + e.code().value() + "): " + e.getMessage());
    } else {
      out.println("error: " + cause);
    }
  }
}
