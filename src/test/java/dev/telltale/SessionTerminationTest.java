package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Session#awaitTermination}: the session's close is asynchronous (its HANDLE_CLOSING waits
 * for its children's), and the wait covers it; a wait that could only stall that close answers at
 * once. No network.
 */
class SessionTerminationTest {
  @Test
  void waitsForTheAsynchronousCloseOnceTheChildrenAreClosed() throws Exception {
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", 1);
    session.close();
    assertFalse(session.awaitTermination(Duration.ofMillis(50)), "a child is open: the session waits for it");
    connect.close();
    assertTrue(session.awaitTermination(Duration.ofSeconds(20)));
  }

  @Test
  void insideTheSessionsOwnClosingCallbackItAnswersFalseAtOnceInsteadOfStallingTheClose()
      throws Exception {
    Session session = Session.open();
    CompletableFuture<Boolean> fromCallback = new CompletableFuture<>();
    session.setStatusCallback((handle, context, event) -> {
      if (event.status() == CallbackStatus.HANDLE_CLOSING) {
        try {
          // an hour: if it waited, the future below would time out
          fromCallback.complete(session.awaitTermination(Duration.ofHours(1)));
        } catch (InterruptedException e) {
          fromCallback.completeExceptionally(e);
        }
      }
    }, NotificationFlags.HANDLES);
    session.close();
    assertEquals(false, fromCallback.get(20, TimeUnit.SECONDS));
    assertTrue(session.awaitTermination(Duration.ofSeconds(20)), "the close went on once the callback returned");
  }
}
