package dev.telltale.internal.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A non-blocking byte stream under a connection: plain TCP, or TLS over TCP. HTTP code does not
 * know which one it has. The methods may move zero bytes (the socket is not ready).
 */
public interface Transport {
  /** Reads what is available into {@code dst}: bytes moved, 0 if none now, -1 at end of stream. */
  int tryRead(ByteBuffer dst) throws IOException;

  /**
   * Takes what it can of {@code srcs} (bytes taken, possibly 0). A transport that encodes (TLS)
   * may take bytes it has not sent yet: {@link #flush()} sends those.
   */
  long tryWrite(ByteBuffer[] srcs) throws IOException;

  /** Sends bytes taken but not yet sent; true when nothing is left (plain TCP: always true). */
  default boolean flush() throws IOException {
    return true;
  }

  /** Lets go of buffers that hold nothing, while the connection idles (plain TCP has none). */
  default void releaseIdleBuffers() {}

  /** The socket underneath, for registration with a selector and addresses. */
  SocketChannel channel();

  /** Closes the stream and its socket; never throws. */
  void close();
}
