package dev.telltale.internal;

import dev.telltale.internal.ws.FrameReader;
import dev.telltale.internal.ws.WsProtocolException;
import java.io.IOException;

/**
 * The server-to-client half of a websocket, on its loop: reads the connection while the socket
 * has bytes and feeds them to the frame reader, pausing while more than a few receive buffers'
 * worth of received messages waits for the application's receives (so TCP pushes back on the
 * server instead of memory growing), and stopping for good after the server's close frame or a
 * failure. Its owner hears of the end of stream and of errors, and sets the socket's interest.
 */
final class WsReadPump {
  /** What the pump reports to its websocket. */
  interface Owner {
    /** Whether a receive waits for data: reading never pauses then. */
    boolean receivePending();

    /** The server closed the TCP connection. */
    void endOfStream();

    /** The server broke RFC 6455. */
    void protocolError(WsProtocolException e);

    /** Reading failed: the connection is gone. */
    void readFailed(IOException e);

    /** Reading stopped or paused, or may go on: the socket's interest is to be updated. */
    void interestChanged();
  }

  private final Connection conn;
  private final FrameReader reader;
  private final FrameReader.Sink sink;
  private final WsInbound inbound;
  private final long highWater;
  private final Owner owner;
  private boolean stopped;
  private boolean paused;
  /**
   * Inside the frame reader: a frame's handling can fail a write (a pong into a reset connection),
   * whose failure must not start a second, nested decode of the same bytes.
   */
  private boolean decoding;
  /** Bytes waiting unreceived when reading last paused (0 while reading); for {@link WsProbe}. */
  volatile long pausedWith;

  WsReadPump(Connection conn, FrameReader reader, FrameReader.Sink sink, WsInbound inbound,
      long highWater, Owner owner) {
    this.conn = conn;
    this.reader = reader;
    this.sink = sink;
    this.inbound = inbound;
    this.highWater = highWater;
    this.owner = owner;
  }

  /** Nothing more is read: after the server's close frame, a failure or the connection's end. */
  void stop() {
    stopped = true;
  }

  /** Whether the socket's read interest is wanted. */
  boolean wantsRead() {
    return !stopped && !paused;
  }

  /** A receive took bytes: reading resumes if it had paused and the backlog fell below the mark. */
  void resumeIfRoom() {
    if (paused && inbound.bytes() < highWater) {
      pump();
    }
  }

  /** Reads and decodes while the socket has bytes and the backlog allows. */
  void pump() {
    if (conn.isClosed() || stopped) {
      return;
    }
    try {
      while (!stopped) {
        if (conn.hasBuffered()) {
          decode();
          continue;
        }
        if (inbound.bytes() >= highWater && !owner.receivePending()) {
          paused = true; // the application is not receiving: let TCP push back on the server
          pausedWith = inbound.bytes();
          break;
        }
        paused = false;
        pausedWith = 0;
        int n = conn.fill();
        if (n < 0) {
          owner.endOfStream();
          return;
        }
        if (n == 0) {
          break;
        }
      }
    } catch (WsProtocolException e) {
      owner.protocolError(e);
      return;
    } catch (IOException e) {
      owner.readFailed(e);
      return;
    }
    owner.interestChanged();
  }

  private void decode() throws WsProtocolException {
    decoding = true;
    try {
      reader.decode(conn.in(), sink);
    } finally {
      decoding = false;
    }
  }

  /**
   * Writing failed (typically a reset): decodes what the server sent before it went away, backlog
   * or not, so a close frame that arrived with the reset reaches the application instead of being
   * dropped with the connection. Errors change nothing here: the connection is failing anyway.
   */
  void drainBeforeFailure() {
    if (decoding) {
      return; // the failure comes from inside a decode: the frames before it were delivered
    }
    try {
      while (!stopped && !conn.isClosed()) {
        if (conn.hasBuffered()) {
          decode();
        } else if (conn.fill() <= 0) {
          return;
        }
      }
    } catch (WsProtocolException | IOException e) {
      // the failure being reported says enough
    }
  }
}
