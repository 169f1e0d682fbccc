package dev.telltale.internal;

import dev.telltale.internal.ws.PerMessageDeflate;
import java.time.Duration;

/**
 * A read-mostly view of one websocket engine's inner state, for tests and diagnostics: what the
 * public API deliberately does not show (whether reading paused, the keepalive schedule, the
 * negotiated compression parameters) and one way to run the keepalive deadline without waiting
 * 15 seconds for it. The package is not exported, so applications cannot reach it; tests get one
 * through the public {@code WebSocket}'s package-private accessor. Values set by the loop thread
 * are read through volatile fields: a reader sees the latest one, never a torn one.
 */
public final class WsProbe {
  private final WebSocketCore engine;

  WsProbe(WebSocketCore engine) {
    this.engine = engine;
  }

  /** The keepalive interval in force (zero when off). */
  public Duration keepaliveInterval() {
    return engine.keepalive.interval();
  }

  /** How many keepalive pings were sent. */
  public long pingsSent() {
    return engine.keepalive.pingsSent();
  }

  /** Runs the keepalive deadline's action now, on the loop, instead of at its time. */
  public void fireKeepalive() {
    engine.keepalive.fireNow();
  }

  /** While reading is paused because received messages wait for receives, how many bytes wait; else 0. */
  public long bufferedWhilePaused() {
    return engine.reads.pausedWith;
  }

  /** Whether the loop has decoded the server's close frame (delivered to the application or not). */
  public boolean serverCloseFrameRead() {
    return engine.peerCloseRead != null;
  }

  /** How many control frames (pongs, pings) wait to be written. */
  public int controlFramesQueued() {
    return engine.writer.controlQueued;
  }

  /** The negotiated permessage-deflate, or null when the connection is not compressed. */
  public PerMessageDeflate deflate() {
    return engine.deflate;
  }
}
