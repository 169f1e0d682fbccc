package dev.telltale.internal;

import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.ws.PerMessageDeflate;

/**
 * An upgraded connection on its way from the request's exchange to the websocket: the connection
 * (with any bytes the server sent right after the 101 head still in its read buffer), the loop it
 * is bound to, and the negotiated permessage-deflate (null if none).
 */
public record WebSocketHandover(Connection connection, EventLoop loop, PerMessageDeflate deflate) {}
