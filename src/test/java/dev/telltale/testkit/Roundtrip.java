package dev.telltale.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.HttpException;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's whole exchange for feature tests (auth, decompression, cookies), where the
 * interesting part is what went over the wire, not the call sequence: send, receive the headers,
 * read the body to its end. Waits are generous (20 s) so a loaded machine does not fail a test.
 */
public final class Roundtrip {
  /** A response: its headers and the body as the application read it. */
  public record Response(ResponseHeaders headers, byte[] body) {
    /** The status code. */
    public int status() {
      return headers.statusCode();
    }

    /** The body as ISO-8859-1 text. */
    public String text() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  private Roundtrip() {}

  /** sendRequest, receiveResponse, then readData with {@code bufferSize} until 0. */
  public static Response run(Request request, int bufferSize) throws Exception {
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    return new Response(headers, readBody(request, bufferSize));
  }

  /** readData with buffers of {@code bufferSize} until it reports 0. */
  public static byte[] readBody(Request request, int bufferSize) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
    int n;
    while ((n = await(request.readData(buffer.clear()))) > 0) {
      body.write(buffer.array(), 0, n);
    }
    return body.toByteArray();
  }

  /** The future's value within 20 s. */
  public static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("operation did not complete within 20 s", e);
    }
  }

  /** The HttpException the future failed with (within 20 s). */
  public static HttpException failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(HttpException.class, e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("operation did not complete within 20 s", e);
    }
    return fail("the operation succeeded but was expected to fail");
  }
}
