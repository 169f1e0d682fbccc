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
 *
 * <p>The operation is its own future, and its own follow-up task for the dispatcher: every request
 * makes several of these, and one object each instead of three (operation, future, completing
 * lambda) is a good part of what a small GET allocates. Stages the application chains on it are
 * plain {@code CompletableFuture}s, as {@link #newIncompleteFuture()} makes them.
 */
public final class Op extends CompletableFuture<Object> implements Runnable {
  final AsyncApi api;
  /** readData's destination; null for every other operation. */
  ByteBuffer buffer;
  /** The outcome {@link #run()} completes the future with, set just before the dispatcher runs it. */
  private Object value;
  private HttpException error;
  /** Completed or failed already: an operation reports once, the first outcome wins. */
  private boolean posted;

  public Op(AsyncApi api) {
    this.api = api;
  }

  /** The future the application holds (this operation), typed by the caller. */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> future() {
    return (CompletableFuture<T>) (CompletableFuture<?>) this;
  }

  /** Reports success: {@code event} (null when masked) to the callback, then the future. */
  void complete(CallbackDispatcher events, StatusEvent event, Object result) {
    if (posted) {
      return;
    }
    posted = true;
    this.value = result;
    events.complete(event, this);
  }

  /** Reports failure: REQUEST_ERROR(api, error) if the flags let it through, then the future. */
  void fail(CallbackDispatcher events, HttpException failure) {
    if (posted) {
      return;
    }
    posted = true;
    StatusEvent event = events.wants(CallbackStatus.REQUEST_ERROR)
        ? new StatusEvent.RequestError(api, failure) : null;
    this.error = failure;
    events.complete(event, this);
  }

  /** The dispatcher's follow-up, after the notification: completes the future. */
  @Override
  public void run() {
    HttpException failure = error;
    if (failure != null) {
      completeExceptionally(failure);
    } else {
      complete(value);
    }
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return "Op[" + api + ", " + super.toString() + "]";
  }
}
