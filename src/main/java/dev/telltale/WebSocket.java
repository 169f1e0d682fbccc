package dev.telltale;

import dev.telltale.internal.HandleCore;
import dev.telltale.internal.WebSocketCore;
import dev.telltale.internal.WebSocketHandover;
import dev.telltale.internal.WsProbe;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * {@code WinHttpWebSocketCompleteUpgrade}'s handle: a WebSocket (RFC 6455) over the connection of
 * a request answered with {@code 101 Switching Protocols}, created by {@link
 * Request#completeUpgrade(Object)}.
 *
 * <p>Every operation returns at once with a future. As for a request, its completion is reported
 * twice, in this order: the completion notification to the status callback (if the flags let it
 * through), then the future. A failure is {@code REQUEST_ERROR} whose {@link AsyncApi} is one of
 * {@code WEB_SOCKET_SEND}, {@code WEB_SOCKET_RECEIVE}, {@code WEB_SOCKET_CLOSE}, {@code
 * WEB_SOCKET_SHUTDOWN}, and the future failing with an {@link HttpException}.
 *
 * <p>Calls that WinHTTP refuses synchronously are refused synchronously here: a second send (or
 * receive) while one is pending, a send after {@link #shutdown} or after the peer's close frame, a
 * receive after the peer's close frame was received, throw {@link HandleException} with {@link
 * ErrorCode#INVALID_OPERATION}; invalid arguments throw {@link IllegalArgumentException}; any call
 * on a closed handle throws {@link HandleException} with {@link ErrorCode#INVALID_HANDLE}.
 *
 * <p>"The peer's close frame was received" means: delivered to the application, as {@code
 * READ_COMPLETE(CLOSE)} or {@code CLOSE_COMPLETE}. The library reads ahead of the receives, but
 * WinHTTP reads only for a receive, so what these calls see depends only on the notifications
 * already delivered, never on how early the frame came off the network.
 *
 * <p>The handle is a child of its request ({@link #parent()}) and copies the request's callback,
 * flags and option values when it is created; its context is the argument of {@code
 * completeUpgrade}. The request may be closed at once: the WebSocket keeps working, and its
 * connection is never returned to the pool. Pings from the server are answered automatically; with
 * {@link Option#WEB_SOCKET_KEEPALIVE_INTERVAL} set, the library pings the server at that interval.
 *
 * <pre>{@code
 * request.setOption(Option.UPGRADE_TO_WEB_SOCKET, true);
 * request.sendRequest().get();
 * request.receiveResponse().get();                       // 101
 * WebSocket ws = request.completeUpgrade(null);
 * request.close();
 * ws.send(WebSocketBufferType.UTF8_MESSAGE, UTF_8.encode("hello")).get();
 * ByteBuffer buffer = ByteBuffer.allocate(4096);
 * WebSocketStatus got = ws.receive(buffer).get();        // UTF8_MESSAGE, 5 bytes
 * ws.close(1000, "bye").get();                           // CLOSE_COMPLETE
 * ws.close();                                            // HANDLE_CLOSING
 * }</pre>
 */
public final class WebSocket implements Handle {
  private final Request request;
  private final HandleCore core;
  private final WebSocketCore engine;

  WebSocket(Request request, HandleCore requestCore, WebSocketHandover handover, Object context) {
    this.request = request;
    this.core = new HandleCore(this, HandleType.WEBSOCKET, requestCore, requestCore.session(),
        requestCore.parentCore());
    this.core.setContext(context);
    this.engine = new WebSocketCore(core, requestCore, handover);
  }

  /** The engine's state for tests, reached through the test tree's {@code WebSocketProbes}. */
  WsProbe probe() {
    return engine.probe();
  }

  void start() {
    engine.start();
  }

  /**
   * {@code WinHttpWebSocketSend}: sends {@code data} (from its position to its limit; the buffer is
   * not modified and belongs to the library until the future completes) as a whole message ({@code
   * *_MESSAGE}) or as a piece of one ({@code *_FRAGMENT}: the message continues with the next send,
   * which must be of the same kind). Completes with {@code WRITE_COMPLETE(bytes, type)} once the
   * bytes were handed to the socket.
   *
   * @param type {@code BINARY_MESSAGE}, {@code BINARY_FRAGMENT}, {@code UTF8_MESSAGE} or {@code
   *     UTF8_FRAGMENT}
   * @param data the payload; may be empty (an empty message), not null
   * @return completes after WRITE_COMPLETE, or fails with REQUEST_ERROR(WEB_SOCKET_SEND, ...)
   * @throws IllegalArgumentException if {@code type} is {@code CLOSE}, mixes UTF-8 and binary
   *     pieces in one message (rule 26), or sends UTF-8 that is not valid (RFC 6455 §8.1): each
   *     {@code UTF8_*} piece is checked with the message's earlier pieces, so a character may be
   *     split between pieces, but a {@code UTF8_MESSAGE} must end on a whole character. A refused
   *     piece sends nothing and leaves the message where it was. (WinHTTP sends whatever it is
   *     given; a server must then fail the connection with 1007, so the error is caught here, at
   *     the call that made it.)
   * @throws HandleException INVALID_OPERATION while another send is pending, or after {@link
   *     #shutdown}, {@link #close(int, String)} or the peer's close frame
   */
  public CompletableFuture<Void> send(WebSocketBufferType type, ByteBuffer data) {
    core.checkOpen();
    return engine.send(type, data);
  }

  /**
   * {@code WinHttpWebSocketReceive}: receives into {@code dst} from its position (the position
   * advances by the count). Completes with {@code READ_COMPLETE(status)}: a message that does not
   * fit comes in pieces, {@code *_FRAGMENT} for all but the last and {@code *_MESSAGE} for the last
   * (rule 25); the peer's close frame is {@code CLOSE} with 0 bytes, after which {@link
   * #queryCloseStatus()} tells its status.
   *
   * @param dst a writable buffer with room, not null
   * @return completes after READ_COMPLETE, or fails with REQUEST_ERROR(WEB_SOCKET_RECEIVE, ...)
   *     (OPERATION_CANCELLED when {@link #close(int, String)} or {@link #close()} ends it)
   * @throws IllegalArgumentException if {@code dst} is read-only or has no room
   * @throws HandleException INVALID_OPERATION while another receive is pending, after the peer's
   *     close frame was received, or after {@link #close(int, String)}
   */
  public CompletableFuture<WebSocketStatus> receive(ByteBuffer dst) {
    core.checkOpen();
    return engine.receive(dst);
  }

  /**
   * {@code WinHttpWebSocketShutdown}: sends a close frame and completes with {@code
   * SHUTDOWN_COMPLETE} once it was sent; receiving stays possible until the peer's close frame
   * arrives (half close). Nothing can be sent afterwards.
   *
   * @param status the close code: 1000–1003, 1007–1014 or 3000–4999
   * @param reason the reason, at most 123 bytes in UTF-8; null means none
   * @return completes after SHUTDOWN_COMPLETE, or fails with REQUEST_ERROR(WEB_SOCKET_SHUTDOWN, ...)
   * @throws IllegalArgumentException for a status that may not be sent or a reason too long
   * @throws HandleException INVALID_OPERATION after a previous shutdown or close
   */
  public CompletableFuture<Void> shutdown(int status, String reason) {
    core.checkOpen();
    return engine.shutdown(status, reason);
  }

  /**
   * {@code WinHttpWebSocketClose}: the close handshake. A pending receive is cancelled first
   * ({@code REQUEST_ERROR(WEB_SOCKET_RECEIVE, OPERATION_CANCELLED)}); the close frame is sent
   * unless {@link #shutdown} sent one; then it waits for the peer's close frame (data still
   * arriving is discarded) and completes with {@code CLOSE_COMPLETE}, at once if the peer's close
   * frame was already received. The connection is closed afterwards. If the peer does not answer
   * within the receive timeout ({@link Option#RECEIVE_TIMEOUT}), it fails with TIMEOUT.
   *
   * @param status the close code: 1000–1003, 1007–1014 or 3000–4999
   * @param reason the reason, at most 123 bytes in UTF-8; null means none
   * @return completes after CLOSE_COMPLETE, or fails with REQUEST_ERROR(WEB_SOCKET_CLOSE, ...)
   * @throws IllegalArgumentException for a status that may not be sent or a reason too long
   * @throws HandleException INVALID_OPERATION after a previous close
   */
  public CompletableFuture<Void> close(int status, String reason) {
    core.checkOpen();
    return engine.closeHandshake(status, reason);
  }

  /**
   * {@code WinHttpWebSocketQueryCloseStatus}: the status and reason of the peer's close frame
   * (1005 and an empty reason if it carried none), known from the {@code READ_COMPLETE(CLOSE)} or
   * {@code CLOSE_COMPLETE} that delivered it on (inside that notification's callback too).
   *
   * @return the peer's close status
   * @throws HandleException INVALID_OPERATION before the peer's close frame was delivered
   */
  public CloseStatus queryCloseStatus() {
    core.checkOpen();
    return engine.queryCloseStatus();
  }

  /**
   * Whether permessage-deflate (RFC 7692) was negotiated for this WebSocket (see {@link
   * Option#WEB_SOCKET_PERMESSAGE_DEFLATE}).
   *
   * @return true if messages may be compressed
   * @throws HandleException INVALID_HANDLE if the handle is closed
   */
  public boolean isCompressed() {
    core.checkOpen();
    return engine.isCompressed();
  }

  @Override
  public HandleType type() {
    return HandleType.WEBSOCKET;
  }

  /** The request this WebSocket was upgraded from (it may be closed already). */
  @Override
  public Request parent() {
    return request;
  }

  @Override
  public StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags) {
    return core.setStatusCallback(callback, flags);
  }

  @Override
  public Object context() {
    return core.context();
  }

  @Override
  public void setContext(Object context) {
    core.setContext(context);
  }

  @Override
  public <T> void setOption(Option<T> option, T value) {
    core.setOption(option, value);
    if (option == Option.WEB_SOCKET_KEEPALIVE_INTERVAL) {
      engine.keepaliveChanged();
    }
  }

  @Override
  public <T> T queryOption(Option<T> option) {
    return core.queryOption(option);
  }

  @Override
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * Closes the handle: every pending operation is cancelled with {@code
   * REQUEST_ERROR(api, OPERATION_CANCELLED)}, the connection is closed, then {@code HANDLE_CLOSING}.
   * There is no close handshake (use {@link #close(int, String)} first for a clean one): if no
   * close frame was sent yet, a 1001 "going away" close frame is written when the socket takes it
   * at once, so the server learns why the connection ends; nothing waits for it or for the server.
   */
  @Override
  public void close() {
    if (core.markClosed()) {
      engine.closeHandle();
    }
  }

  @Override
  public String toString() {
    return "WebSocket(" + request.path() + (isClosed() ? ", closed)" : ")");
  }
}
