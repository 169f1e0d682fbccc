package dev.telltale.internal;

import dev.telltale.AsyncApi;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous operation of a request: which API it is (for REQUEST_ERROR) and the future
 * handed to the application. Completed exactly once, always after its notification.
 */
public final class Op {
  final AsyncApi api;
  private final CompletableFuture<Object> future = new CompletableFuture<>();
  /** readData's destination; null for every other operation. */
  ByteBuffer buffer;

  public Op(AsyncApi api) {
    this.api = api;
  }

  /** The future the application holds, typed by the caller. */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> future() {
    return (CompletableFuture<T>) (CompletableFuture<?>) future;
  }

  void succeed(Object value) {
    future.complete(value);
  }

  void fail(Throwable error) {
    future.completeExceptionally(error);
  }
}
