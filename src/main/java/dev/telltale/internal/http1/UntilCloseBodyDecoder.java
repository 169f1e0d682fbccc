package dev.telltale.internal.http1;

import java.nio.ByteBuffer;

/**
 * A body that runs until the server closes the connection (RFC 9112 §6.3 item 8): every byte
 * received is body, and end of input is the normal end rather than an error. The connection cannot
 * be reused afterwards, which {@link #closeDelimited()} tells the pool.
 */
public final class UntilCloseBodyDecoder implements BodyDecoder {
  private boolean complete;

  /** Creates a decoder for a body that ends when the connection does. */
  public UntilCloseBodyDecoder() {}

  @Override
  public int available(ByteBuffer src) {
    return complete ? 0 : src.remaining();
  }

  @Override
  public void consumed(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("consumed " + n + " bytes");
    }
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  @Override
  public void endOfInput() {
    complete = true;
  }

  @Override
  public long remaining() {
    return -1;
  }

  @Override
  public boolean closeDelimited() {
    return true;
  }

  @Override
  public String toString() {
    return complete ? "until close, complete" : "until close";
  }
}
