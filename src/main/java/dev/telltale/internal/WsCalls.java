package dev.telltale.internal;

import dev.telltale.CloseStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.WebSocketBufferType;
import dev.telltale.internal.ws.Utf8Validator;
import java.nio.ByteBuffer;

/**
 * The call-time rules of one websocket (rule 26), checked on the caller's thread before an
 * operation goes to the loop: one pending send and one pending receive, nothing sent after
 * shutdown, close or the server's close, no receive after the server's close was delivered, one
 * kind (UTF-8 or binary) per message, and valid UTF-8 in text messages (RFC 6455 §8.1: an endpoint
 * must send valid UTF-8, so a text message's pieces are validated as they are sent, sequences split
 * across pieces included). Thread-safe: every method holds the instance's lock briefly and calls no
 * user code.
 *
 * <p>The server's close status becomes visible to {@code queryCloseStatus} and refuses sends when
 * it is delivered to the application, by {@code READ_COMPLETE(CLOSE)} or {@code CLOSE_COMPLETE}, not
 * when the loop happens to decode the frame: WinHTTP reads only for a receive, so what a call sees
 * must depend on what the application was told, not on how fast the network was.
 */
final class WsCalls {
  private boolean sendBusy;
  private boolean receiveBusy;
  private boolean shutdownCalled;
  private boolean closeCalled;
  private boolean closeDelivered;
  private CloseStatus peerClose;
  /** The kind of the message being sent in fragments, or null between messages. */
  private WebSocketBufferType openFragment;
  /** Validates the text message being sent, across its fragments. */
  private final Utf8Validator outgoingText = new Utf8Validator();

  /**
   * Admits a send; returns whether it starts a new message (its first frame's opcode is TEXT or
   * BINARY rather than CONTINUATION).
   *
   * @throws IllegalArgumentException for CLOSE, a piece of the other kind than the open message's,
   *     or UTF-8 pieces that are not valid UTF-8 (a *_MESSAGE must also end on a character)
   * @throws HandleException INVALID_OPERATION while a send is pending, or after shutdown, close or
   *     the delivered close of the server
   */
  synchronized boolean beginSend(WebSocketBufferType type, ByteBuffer data) {
    if (type == WebSocketBufferType.CLOSE) {
      throw new IllegalArgumentException("send cannot send CLOSE: use shutdown or close");
    }
    if (openFragment != null && isUtf8(openFragment) != isUtf8(type)) {
      throw new IllegalArgumentException("a " + openFragment + " was sent: the message continues "
          + "with " + (isUtf8(openFragment) ? "UTF8" : "BINARY") + " pieces, not " + type);
    }
    if (shutdownCalled || closeCalled) {
      throw invalidOperation("send after shutdown or close");
    }
    if (peerClose != null) {
      throw invalidOperation("send after the server's close frame");
    }
    if (sendBusy) {
      throw invalidOperation("send while another send is pending");
    }
    boolean first = openFragment == null;
    if (isUtf8(type)) {
      checkUtf8(type, data, first);
    }
    sendBusy = true;
    openFragment = isFragment(type) ? type : null;
    return first;
  }

  /** Validates a text piece on a copy of the message's validator, committing only if it passes. */
  private void checkUtf8(WebSocketBufferType type, ByteBuffer data, boolean first) {
    Utf8Validator trial = first ? new Utf8Validator() : outgoingText.copy();
    if (!trial.feed(data)) {
      throw new IllegalArgumentException(type + " data is not valid UTF-8 (RFC 6455 §8.1)"
          + (first ? "" : ", counting the message's earlier fragments"));
    }
    if (type == WebSocketBufferType.UTF8_MESSAGE && !trial.complete()) {
      throw new IllegalArgumentException("UTF8_MESSAGE ends inside a UTF-8 sequence: the text "
          + "message would not be valid UTF-8 (RFC 6455 §8.1)");
    }
    if (type == WebSocketBufferType.UTF8_FRAGMENT) {
      if (first) {
        outgoingText.reset();
      }
      outgoingText.feed(data); // cannot fail: the trial just passed from the same state
    }
  }

  synchronized void sendEnded() {
    sendBusy = false;
  }

  /**
   * Admits a receive.
   *
   * @throws HandleException INVALID_OPERATION while a receive is pending, after the server's close
   *     was delivered, or after close
   */
  synchronized void beginReceive() {
    if (receiveBusy) {
      throw invalidOperation("receive while another receive is pending");
    }
    if (closeDelivered || closeCalled) {
      throw invalidOperation("receive after the close frame was received or close was called");
    }
    receiveBusy = true;
  }

  synchronized void receiveEnded() {
    receiveBusy = false;
  }

  /** Both operations ended (the connection failed or the handle closed). */
  synchronized void allEnded() {
    sendBusy = false;
    receiveBusy = false;
  }

  /** @throws HandleException INVALID_OPERATION after a previous shutdown or close */
  synchronized void beginShutdown() {
    if (shutdownCalled || closeCalled) {
      throw invalidOperation("shutdown after shutdown or close");
    }
    shutdownCalled = true;
  }

  /** @throws HandleException INVALID_OPERATION after a previous close */
  synchronized void beginClose() {
    if (closeCalled) {
      throw invalidOperation("close was called already");
    }
    closeCalled = true;
  }

  /**
   * The server's close is being delivered ({@code byReceive}: as a receive's CLOSE, which also ends
   * receiving; else as CLOSE_COMPLETE). Called before the notification, so a callback sees it.
   */
  synchronized void serverCloseDelivered(CloseStatus status, boolean byReceive) {
    if (status != null) {
      peerClose = status;
    }
    if (byReceive) {
      closeDelivered = true;
    }
  }

  /** @throws HandleException INVALID_OPERATION before the server's close was delivered */
  synchronized CloseStatus queryCloseStatus() {
    if (peerClose == null) {
      throw invalidOperation("the server's close frame has not been received");
    }
    return peerClose;
  }

  static boolean isUtf8(WebSocketBufferType type) {
    return type == WebSocketBufferType.UTF8_MESSAGE || type == WebSocketBufferType.UTF8_FRAGMENT;
  }

  static boolean isFragment(WebSocketBufferType type) {
    return type == WebSocketBufferType.UTF8_FRAGMENT || type == WebSocketBufferType.BINARY_FRAGMENT;
  }

  private static HandleException invalidOperation(String why) {
    return new HandleException(ErrorCode.INVALID_OPERATION, why);
  }
}
