package dev.telltale;

import dev.telltale.internal.WsProbe;

/**
 * The test tree's way to a websocket's engine state: {@link WebSocket#probe()} is package-private,
 * so this class, in the same package, hands it to tests in other packages. No reflection.
 */
public final class WebSocketProbes {
  private WebSocketProbes() {}

  /** The probe of {@code socket}'s engine. */
  public static WsProbe of(WebSocket socket) {
    return socket.probe();
  }
}
