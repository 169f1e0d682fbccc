package dev.telltale.testkit;

import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The common shape of the feature tests (authentication, decompression, cookies): one
 * MockWebServer, one session recording every notification, and a connect handle to the server.
 * Each test closes what it opened; the connect handle and the session are closed after it, and
 * the session's HANDLE_CLOSING is awaited so nothing outlives the test (LeakCheck then checks).
 */
public abstract class MockServerTest {
  @StartStop protected final MockWebServer server = new MockWebServer();
  protected final RecordingCallback rec = new RecordingCallback();
  protected Session session;
  protected Connect connect;

  /** The session under test; override to configure it (the default is {@code Session.open()}). */
  protected Session newSession() {
    return Session.open();
  }

  @BeforeEach
  final void openSessionAndConnect() {
    session = newSession();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    connect = session.connect("127.0.0.1", server.getPort());
  }

  @AfterEach
  final void closeConnectAndSession() {
    connect.close();
    session.close();
    rec.awaitClosing(session);
  }
}
