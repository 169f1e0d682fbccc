package dev.telltale.testkit;

import dev.telltale.Connect;
import dev.telltale.Handle;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the feature fixtures share: one session with a {@link RecordingCallback} installed before
 * any child exists, and the handles opened through the fixture, which it closes newest first (so
 * a test that fails half-way still leaves nothing for LeakCheck).
 */
public abstract class RecordingSessionFixture implements AutoCloseable {
  public static final String HOST = "127.0.0.1";

  public final RecordingCallback rec = new RecordingCallback();
  public final Session session;
  private final List<Handle> opened = new ArrayList<>();

  protected RecordingSessionFixture(Session.Builder builder) {
    session = builder.build();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
  }

  /** A connect handle to {@code host:port}, closed with the fixture. */
  public Connect connect(String host, int port) {
    return track(session.connect(host, port));
  }

  /** Remembers {@code handle} to be closed with the fixture; returns it. */
  protected <H extends Handle> H track(H handle) {
    opened.add(handle);
    return handle;
  }

  /** The handles opened here, oldest first. */
  protected List<Handle> opened() {
    return opened;
  }

  /** Closes every handle opened here, newest first, then the session (without waiting). */
  protected void closeOpenedThenSession() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    session.close();
  }

  /** The future's value within 20 s; its failure is thrown as the ExecutionException. */
  public static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("operation did not complete within 20 s", e);
    }
  }

  /** The HttpException a future failed with. */
  public static HttpException failure(CompletableFuture<?> future) {
    return AsyncAssertions.awaitFailure(future);
  }
}
