package dev.telltale.internal;

import dev.telltale.AsyncApi;
import dev.telltale.CallbackStatus;
import dev.telltale.HttpException;
import dev.telltale.StatusEvent;
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

  /** Reports success: {@code event} (null when masked) to the callback, then the future. */
  void complete(CallbackDispatcher events, StatusEvent event, Object value) {
    events.complete(event, () -> future.complete(value));
  }

  /** Reports failure: REQUEST_ERROR(api, error) if the flags let it through, then the future. */
  void fail(CallbackDispatcher events, HttpException error) {
    StatusEvent event = events.wants(CallbackStatus.REQUEST_ERROR)
        ? new StatusEvent.RequestError(api, error) : null;
    events.complete(event, () -> future.completeExceptionally(error));
  }
}
