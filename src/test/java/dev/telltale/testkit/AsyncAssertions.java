package dev.telltale.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.HttpException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.function.Executable;

/** Waiting on the library's futures with generous limits, and asserting how they fail. */
public final class AsyncAssertions {
  /** How long any single wait may take: generous, for a loaded 2-core machine. */
  public static final long WAIT_SECONDS = 20;

  private AsyncAssertions() {}

  /** The future's value; fails the test if it fails or does not complete within 20 s. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the operation failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the operation did not complete within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits for {@code future} to fail and returns its {@link HttpException}. */
  public static HttpException awaitFailure(CompletableFuture<?> future) {
    try {
      Object value = future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return fail("expected the operation to fail, but it completed with " + value);
    } catch (ExecutionException e) {
      return assertInstanceOf(HttpException.class, e.getCause(), "the future's failure");
    } catch (TimeoutException e) {
      return fail("the operation did not complete within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** Waits for {@code future} to fail with an {@link HttpException} of {@code code}. */
  public static HttpException awaitFailure(CompletableFuture<?> future, ErrorCode code) {
    HttpException error = awaitFailure(future);
    assertEquals(code, error.code(), () -> "error code of " + error);
    return error;
  }

  /**
   * Waits (up to 20 s) until a closed session's threads have ended. The session terminates right
   * after its HANDLE_CLOSING was delivered, so this also works when called from the moment that
   * notification was seen.
   */
  public static void awaitTermination(dev.telltale.Session session) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    try {
      while (!session.awaitTermination(java.time.Duration.ofMillis(200))) {
        if (System.nanoTime() > deadline) {
          fail("the session's threads did not end within " + WAIT_SECONDS + " s");
        }
        Thread.onSpinWait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /** Asserts {@code call} throws a {@link HandleException} with {@code code}. */
  public static HandleException assertHandleException(ErrorCode code, Executable call) {
    HandleException e = assertThrows(HandleException.class, call);
    assertEquals(code, e.code(), () -> "code of " + e);
    return e;
  }
}
