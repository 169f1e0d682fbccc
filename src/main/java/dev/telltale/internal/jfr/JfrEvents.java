package dev.telltale.internal.jfr;

import jdk.jfr.EventType;

/**
 * Starts Flight Recorder events only while a recording wants them: when none does, no event
 * object is created and the cost is one boolean read per request.
 */
public final class JfrEvents {
  private static final EventType REQUEST = EventType.getEventType(RequestEvent.class);
  private static final EventType CONNECTION = EventType.getEventType(ConnectionEvent.class);

  private JfrEvents() {}

  /** A started request event, or null if no recording is interested. */
  public static RequestEvent beginRequest() {
    if (!REQUEST.isEnabled()) {
      return null;
    }
    RequestEvent event = new RequestEvent();
    event.begin();
    return event;
  }

  /** A started connection event, or null if no recording is interested. */
  public static ConnectionEvent beginConnection() {
    if (!CONNECTION.isEnabled()) {
      return null;
    }
    ConnectionEvent event = new ConnectionEvent();
    event.begin();
    return event;
  }
}
