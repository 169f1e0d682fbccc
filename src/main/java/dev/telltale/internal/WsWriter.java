package dev.telltale.internal;

import dev.telltale.internal.ws.FrameWriter;
import dev.telltale.internal.ws.WsOpcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The client-to-server half of a websocket, on its loop: control frames (pong, ping) go first,
 * between the frames of a data message; a data message goes out in frames of at most the send
 * buffer size, each encoded with a fresh mask key into one reused buffer; the close frame goes
 * last, once no data message is half sent, and nothing follows it.
 *
 * <p>The writer moves bytes while the socket takes them and tells its owner when it needs the
 * socket to become writable; the owner calls {@link #pump()} again when it is.
 */
final class WsWriter {
  /** What the writer reports to its websocket. */
  interface Owner {
    /** The last frame of the data message given to {@link #startData} was written. */
    void dataSent();

    /** The close frame was written. */
    void closeFrameSent();

    /** Writing failed: the connection is gone. */
    void writeFailed(IOException e);

    /** The writer waits for the socket to become writable (true) or needs nothing (false). */
    void wantWrite(boolean want);
  }

  private final Connection conn;
  private final Owner owner;
  private final WsMasks masks = new WsMasks();
  private final int frameSize;
  private final ByteBuffer frameBuffer;
  private final ArrayDeque<ByteBuffer> control = new ArrayDeque<>();
  /** How many control frames wait unwritten; for {@link WsProbe}. */
  volatile int controlQueued;
  /** The pong in {@link #control} not yet being written, which a newer ping's pong replaces. */
  private ByteBuffer queuedPong;

  /** The bytes being written now, and what to run once they are all out. */
  private ByteBuffer writing;
  private Runnable afterWriting;

  // the data message being sent
  private ByteBuffer data;
  private int dataOpcode;
  private boolean dataFin;
  private boolean dataRsv1;
  private boolean firstFrame;

  private ByteBuffer closeFrame;
  private boolean closeQueued;

  WsWriter(Connection conn, Owner owner, int frameSize) {
    this.conn = conn;
    this.owner = owner;
    this.frameSize = frameSize;
    this.frameBuffer = ByteBuffer.allocateDirect(FrameWriter.headerSize(frameSize) + frameSize);
  }

  /** Whether the close frame was queued: no other frame may be queued after it. */
  boolean closeQueued() {
    return closeQueued;
  }

  /** Whether a data message is still being sent. */
  boolean sendingData() {
    return data != null;
  }

  /**
   * Starts sending one send's payload: {@code opcode} TEXT, BINARY or CONTINUATION; {@code fin}
   * whether the message ends with it; {@code rsv1} for a compressed message.
   */
  void startData(ByteBuffer payload, int opcode, boolean fin, boolean rsv1) {
    data = payload;
    dataOpcode = opcode;
    dataFin = fin;
    dataRsv1 = rsv1;
    firstFrame = true;
    pump();
  }

  /** Drops the rest of the data message (the connection is failing); the frame in flight ends. */
  void abandonData() {
    data = null;
  }

  /**
   * Queues a ping or pong, written before the next frame of a data message. A pong replaces one
   * still waiting (RFC 6455 §5.5.3 lets a pong answer only the latest ping), so a server that pings
   * without reading costs one frame here, not one per ping.
   */
  void control(int opcode, ByteBuffer payload) {
    if (closeQueued) {
      return; // nothing may follow our close frame
    }
    ByteBuffer frame = encode(opcode, payload);
    if (opcode == WsOpcode.PONG) {
      if (queuedPong != null) {
        control.removeFirstOccurrence(queuedPong);
      }
      queuedPong = frame;
    }
    control.add(frame);
    controlQueued = control.size();
    pump();
  }

  /** Queues the close frame, written once no data message is half sent. */
  void close(ByteBuffer payload) {
    if (closeQueued) {
      return;
    }
    closeQueued = true;
    closeFrame = encode(WsOpcode.CLOSE, payload);
    pump();
  }

  /**
   * The handle is closing: writes a close frame now if the socket takes it without waiting, and
   * forgets everything else queued. A frame already half written is finished first (the close
   * frame cannot go inside it); if even that would wait, nothing more is written and the server
   * sees the connection end without a close frame. Never waits, never reports to the owner.
   */
  void goingAway(ByteBuffer payload) {
    if (closeQueued || conn.isClosed()) {
      return;
    }
    closeQueued = true;
    control.clear();
    controlQueued = 0;
    queuedPong = null;
    data = null;
    afterWriting = null;
    try {
      if (writing != null && !writeOut()) {
        return;
      }
      writing = encode(WsOpcode.CLOSE, payload);
      writeOut();
    } catch (IOException e) {
      // the connection is being dropped anyway: there is nobody left to tell
    }
    writing = null;
  }

  private ByteBuffer encode(int opcode, ByteBuffer payload) {
    ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(payload.remaining()) + payload.remaining());
    FrameWriter.write(opcode, true, false, payload, masks.next(), frame);
    return frame.flip();
  }

  /** Writes while the socket takes bytes; called again by the owner when it is writable. */
  void pump() {
    if (conn.isClosed()) {
      return;
    }
    try {
      while (true) {
        if (writing != null) {
          if (!writeOut()) {
            owner.wantWrite(true);
            return;
          }
          Runnable then = afterWriting;
          writing = null;
          afterWriting = null;
          if (then != null) {
            then.run();
            if (conn.isClosed()) {
              return;
            }
          }
        }
        if (!nextFrame()) {
          break;
        }
      }
    } catch (IOException e) {
      writing = null;
      owner.writeFailed(e);
      return;
    }
    owner.wantWrite(false);
  }

  /** Picks the next frame to write; false if there is none. */
  private boolean nextFrame() {
    if (!control.isEmpty()) {
      writing = control.poll();
      controlQueued = control.size();
      if (writing == queuedPong) {
        queuedPong = null; // being written now: the next pong is queued anew
      }
      return true;
    }
    if (data != null) {
      encodeDataFrame();
      return true;
    }
    if (closeFrame != null) {
      writing = closeFrame;
      closeFrame = null;
      afterWriting = owner::closeFrameSent;
      return true;
    }
    return false;
  }

  private void encodeDataFrame() {
    int n = Math.min(data.remaining(), frameSize);
    ByteBuffer slice = data.slice(data.position(), n);
    data.position(data.position() + n);
    boolean last = !data.hasRemaining();
    frameBuffer.clear();
    FrameWriter.write(firstFrame ? dataOpcode : WsOpcode.CONTINUATION, last && dataFin,
        firstFrame && dataRsv1, slice, masks.next(), frameBuffer);
    frameBuffer.flip();
    firstFrame = false;
    writing = frameBuffer;
    if (last) {
      data = null;
      afterWriting = owner::dataSent;
    }
  }

  private boolean writeOut() throws IOException {
    ByteBuffer[] one = {writing};
    while (writing.hasRemaining()) {
      if (conn.transport().tryWrite(one) == 0) {
        return false;
      }
    }
    return conn.transport().flush();
  }
}
