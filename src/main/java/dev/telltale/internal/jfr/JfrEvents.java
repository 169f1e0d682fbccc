package dev.telltale.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Starts Flight Recorder events only while a recording wants them: otherwise no event object is
 * created, and until JFR is first used in the process the cost is one static boolean read.
 *
 * <p>Loading an event class before JFR is initialized costs about 200 ms (the JVM sets JFR up for
 * it), so the event classes are touched only once {@link FlightRecorder#isInitialized()} says a
 * recording exists. From then on, probe instances answer {@code isEnabled()}: JFR instruments the
 * loaded classes when a recording enables their events, and the same probes start answering true.
 */
public final class JfrEvents {
  private JfrEvents() {}

  /** A started request event, or null if no recording is interested. */
  public static RequestEvent beginRequest() {
    if (!FlightRecorder.isInitialized() || !Probes.REQUEST.isEnabled()) {
      return null;
    }
    RequestEvent event = new RequestEvent();
    event.begin();
    return event;
  }

  /** A started connection event, or null if no recording is interested. */
  public static ConnectionEvent beginConnection() {
    if (!FlightRecorder.isInitialized() || !Probes.CONNECTION.isEnabled()) {
      return null;
    }
    ConnectionEvent event = new ConnectionEvent();
    event.begin();
    return event;
  }

  /** Loaded on first use, which happens only once JFR is initialized. */
  private static final class Probes {
    static final RequestEvent REQUEST = new RequestEvent();
    static final ConnectionEvent CONNECTION = new ConnectionEvent();
  }
}
