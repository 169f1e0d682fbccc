package dev.telltale;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * A {@link StatusCallback} with one method per notification, each taking the notification's
 * information unpacked: override the ones you care about, the others do nothing. This is MFC's
 * {@code CInternetSession::OnStatusCallback} split per status, or OkHttp's {@code EventListener}
 * with WinHTTP's events.
 *
 * <pre>{@code
 * session.setStatusCallback(new StatusAdapter() {
 *   @Override
 *   protected void onConnectedToServer(Handle handle, Object context, InetSocketAddress address) {
 *     log.info("connected to {}", address);
 *   }
 *
 *   @Override
 *   protected void onReadComplete(Handle request, Object context, ByteBuffer buffer, int n) {
 *     received.addAndGet(n);   // 0 = end of the body
 *   }
 *
 *   @Override
 *   protected void onRequestError(Handle request, Object context, AsyncApi api, HttpException e) {
 *     log.warn("{} failed: {}", api, e.code());
 *   }
 * }, NotificationFlags.ALL_NOTIFICATIONS);
 * }</pre>
 *
 * <p>{@link #onStatus} is final: it switches on {@link StatusEvent#status()} (for {@code
 * READ_COMPLETE} and {@code WRITE_COMPLETE} also on the record type, HTTP or websocket) and calls
 * exactly one {@code on…} method, named after the record ({@link StatusEvent.ResolvingName} →
 * {@link #onResolvingName}). The switch has no default, so a status added to {@link
 * CallbackStatus} without a method here does not compile. Everything {@link StatusCallback} says
 * holds for these methods: which thread they run on, that one handle's notifications never overlap
 * and arrive in order, that they must not block, and that an exception thrown from one is logged
 * and otherwise ignored. Only the statuses in the {@link NotificationFlags} the adapter was
 * installed with are delivered.
 *
 * <p>In every method, {@code handle} is the handle the notification is delivered through and {@code
 * context} that handle's context value ({@link Option#CONTEXT_VALUE}), possibly null.
 */
public abstract class StatusAdapter implements StatusCallback {

  /** For subclasses. */
  protected StatusAdapter() {}

  /**
   * Calls the method for {@code event}'s status with the event's information unpacked.
   *
   * @param handle the handle the notification is delivered through
   * @param context that handle's context, possibly null
   * @param event the status and its information
   */
  @Override
  public final void onStatus(Handle handle, Object context, StatusEvent event) {
    // A switch expression, not a statement: without a default it must cover every constant, so a
    // new CallbackStatus fails to compile here until it has a method. The value is not used.
    @SuppressWarnings("unused")
    boolean exhaustive =
        switch (event.status()) {
          case RESOLVING_NAME -> {
            onResolvingName(handle, context, ((StatusEvent.ResolvingName) event).hostName());
            yield true;
          }
          case NAME_RESOLVED -> {
            StatusEvent.NameResolved e = (StatusEvent.NameResolved) event;
            onNameResolved(handle, context, e.hostName(), e.addresses());
            yield true;
          }
          case CONNECTING_TO_SERVER -> {
            onConnectingToServer(
                handle, context, ((StatusEvent.ConnectingToServer) event).address());
            yield true;
          }
          case CONNECTED_TO_SERVER -> {
            onConnectedToServer(handle, context, ((StatusEvent.ConnectedToServer) event).address());
            yield true;
          }
          case SENDING_REQUEST -> {
            onSendingRequest(handle, context);
            yield true;
          }
          case REQUEST_SENT -> {
            onRequestSent(handle, context, ((StatusEvent.RequestSent) event).bytesSent());
            yield true;
          }
          case RECEIVING_RESPONSE -> {
            onReceivingResponse(handle, context);
            yield true;
          }
          case RESPONSE_RECEIVED -> {
            onResponseReceived(
                handle, context, ((StatusEvent.ResponseReceived) event).bytesReceived());
            yield true;
          }
          case CLOSING_CONNECTION -> {
            onClosingConnection(handle, context);
            yield true;
          }
          case CONNECTION_CLOSED -> {
            onConnectionClosed(handle, context);
            yield true;
          }
          case HANDLE_CREATED -> {
            onHandleCreated(handle, context, ((StatusEvent.HandleCreated) event).created());
            yield true;
          }
          case HANDLE_CLOSING -> {
            onHandleClosing(handle, context, ((StatusEvent.HandleClosing) event).closing());
            yield true;
          }
          case DETECTING_PROXY -> {
            onDetectingProxy(handle, context);
            yield true;
          }
          case REDIRECT -> {
            onRedirect(handle, context, ((StatusEvent.Redirect) event).location());
            yield true;
          }
          case INTERMEDIATE_RESPONSE -> {
            onIntermediateResponse(
                handle, context, ((StatusEvent.IntermediateResponse) event).statusCode());
            yield true;
          }
          case SECURE_FAILURE -> {
            onSecureFailure(handle, context, ((StatusEvent.SecureFailure) event).flags());
            yield true;
          }
          case HEADERS_AVAILABLE -> {
            onHeadersAvailable(handle, context);
            yield true;
          }
          case DATA_AVAILABLE -> {
            onDataAvailable(handle, context, ((StatusEvent.DataAvailable) event).bytesAvailable());
            yield true;
          }
          case READ_COMPLETE -> {
            if (event instanceof StatusEvent.WebSocketReadComplete e) {
              onWebSocketReadComplete(handle, context, e.result());
            } else {
              StatusEvent.ReadComplete e = (StatusEvent.ReadComplete) event;
              onReadComplete(handle, context, e.buffer(), e.bytesRead());
            }
            yield true;
          }
          case WRITE_COMPLETE -> {
            if (event instanceof StatusEvent.WebSocketWriteComplete e) {
              onWebSocketWriteComplete(handle, context, e.result());
            } else {
              onWriteComplete(handle, context, ((StatusEvent.WriteComplete) event).bytesWritten());
            }
            yield true;
          }
          case REQUEST_ERROR -> {
            StatusEvent.RequestError e = (StatusEvent.RequestError) event;
            onRequestError(handle, context, e.api(), e.error());
            yield true;
          }
          case SENDREQUEST_COMPLETE -> {
            onSendRequestComplete(handle, context);
            yield true;
          }
          case GETPROXYFORURL_COMPLETE -> {
            onGetProxyForUrlComplete(handle, context);
            yield true;
          }
          case CLOSE_COMPLETE -> {
            onCloseComplete(handle, context);
            yield true;
          }
          case SHUTDOWN_COMPLETE -> {
            onShutdownComplete(handle, context);
            yield true;
          }
        };
  }

  /**
   * {@code RESOLVING_NAME}: about to look up the server's address for a new connection (not sent
   * when a pooled connection is reused). Part of {@code sendRequest}, or of {@code receiveResponse}
   * when a redirect leads to another host.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param hostName the name being resolved
   */
  protected void onResolvingName(Handle handle, Object context, String hostName) {}

  /**
   * {@code NAME_RESOLVED}: the lookup that {@link #onResolvingName} announced succeeded.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param hostName the name that was resolved
   * @param addresses every address found, in the order they will be tried; unmodifiable
   */
  protected void onNameResolved(
      Handle handle, Object context, String hostName, List<InetAddress> addresses) {}

  /**
   * {@code CONNECTING_TO_SERVER}: opening a TCP connection to one address; after a failed attempt
   * it is called again for the next address.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param address the address and port being connected to
   */
  protected void onConnectingToServer(Handle handle, Object context, InetSocketAddress address) {}

  /**
   * {@code CONNECTED_TO_SERVER}: the TCP connection is established; for https the TLS handshake
   * follows, before {@link #onSendingRequest}.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param address the address and port connected to
   */
  protected void onConnectedToServer(Handle handle, Object context, InetSocketAddress address) {}

  /**
   * {@code SENDING_REQUEST}: writing the request starts, on a new or pooled connection (again for
   * each redirect followed).
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onSendingRequest(Handle handle, Object context) {}

  /**
   * {@code REQUEST_SENT}: the request head, and the body given to {@code sendRequest}, are written.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param bytesSent the number of bytes written
   */
  protected void onRequestSent(Handle handle, Object context, long bytesSent) {}

  /**
   * {@code RECEIVING_RESPONSE}: {@code receiveResponse} (or a followed redirect) starts waiting for
   * a response head.
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onReceivingResponse(Handle handle, Object context) {}

  /**
   * {@code RESPONSE_RECEIVED}: a response head arrived, including a 1xx or a redirect.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param bytesReceived the size of the response head in bytes
   */
  protected void onResponseReceived(Handle handle, Object context, long bytesReceived) {}

  /**
   * {@code CLOSING_CONNECTION}: the exchange ends its connection ({@code Connection: close} from
   * either side, or HTTP/1.0 without keep-alive), just before the completion that reports the end
   * of the body.
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onClosingConnection(Handle handle, Object context) {}

  /**
   * {@code CONNECTION_CLOSED}: the connection announced by {@link #onClosingConnection} is closed.
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onConnectionClosed(Handle handle, Object context) {}

  /**
   * {@code HANDLE_CREATED}: a handle was created, inside the creating call and on its thread
   * ({@code session.connect} reports through the session, {@code connect.openRequest} through the
   * new request).
   *
   * @param handle the handle the notification is delivered through
   * @param context its context, possibly null
   * @param created the new handle
   */
  protected void onHandleCreated(Handle handle, Object context, Handle created) {}

  /**
   * {@code HANDLE_CLOSING}: the handle is closing. This is its last notification, called exactly
   * once, after its pending operations reported {@link #onRequestError} and after its children's
   * own {@code onHandleClosing}.
   *
   * @param handle the handle the notification is delivered through
   * @param context its context, possibly null
   * @param closing the handle being closed
   */
  protected void onHandleClosing(Handle handle, Object context, Handle closing) {}

  /**
   * {@code DETECTING_PROXY}: proxy auto-detection is running. Not emitted yet (telltale has no
   * proxy support).
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onDetectingProxy(Handle handle, Object context) {}

  /**
   * {@code REDIRECT}: during {@code receiveResponse}, a 3xx is being followed; a new cycle to
   * {@code location} follows (resolve and connect as needed, {@link #onSendingRequest}, …).
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param location the absolute URI redirected to; it may carry user info and a query, so think
   *     before logging it whole
   */
  protected void onRedirect(Handle handle, Object context, URI location) {}

  /**
   * {@code INTERMEDIATE_RESPONSE}: during {@code receiveResponse}, a 1xx other than 101 (e.g.
   * {@code 100 Continue}) arrived and was skipped.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param statusCode the 1xx status code
   */
  protected void onIntermediateResponse(Handle handle, Object context, int statusCode) {}

  /**
   * {@code SECURE_FAILURE}: the TLS handshake failed; {@link #onRequestError} with {@link
   * ErrorCode#SECURE_FAILURE} follows.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param flags every problem that was not ignored; unmodifiable
   */
  protected void onSecureFailure(Handle handle, Object context, Set<SecureFailureFlag> flags) {}

  /**
   * {@code SENDREQUEST_COMPLETE}: {@code sendRequest} completed (once, even with redirects); its
   * future completes after this returns.
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onSendRequestComplete(Handle handle, Object context) {}

  /**
   * {@code HEADERS_AVAILABLE}: {@code receiveResponse} completed; the final response's headers can
   * be queried. Its future completes after this returns.
   *
   * @param handle the request
   * @param context its context, possibly null
   */
  protected void onHeadersAvailable(Handle handle, Object context) {}

  /**
   * {@code DATA_AVAILABLE}: {@code queryDataAvailable} completed.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param bytesAvailable bytes that can be read without waiting; 0 means the end of the body
   */
  protected void onDataAvailable(Handle handle, Object context, int bytesAvailable) {}

  /**
   * {@code READ_COMPLETE} for a request: {@code readData} completed.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param buffer the buffer given to {@code readData}; the bytes start at its position at the call
   * @param bytesRead bytes read; 0 means the end of the body
   */
  protected void onReadComplete(Handle handle, Object context, ByteBuffer buffer, int bytesRead) {}

  /**
   * {@code WRITE_COMPLETE} for a request: {@code writeData} completed.
   *
   * @param handle the request
   * @param context its context, possibly null
   * @param bytesWritten bytes written
   */
  protected void onWriteComplete(Handle handle, Object context, int bytesWritten) {}

  /**
   * {@code READ_COMPLETE} for a websocket: {@code WebSocket.receive} completed.
   *
   * @param handle the websocket
   * @param context its context, possibly null
   * @param result bytes received and their buffer type ({@code CLOSE} with 0 bytes for the peer's
   *     close frame)
   */
  protected void onWebSocketReadComplete(Handle handle, Object context, WebSocketStatus result) {}

  /**
   * {@code WRITE_COMPLETE} for a websocket: {@code WebSocket.send} completed.
   *
   * @param handle the websocket
   * @param context its context, possibly null
   * @param result bytes sent and their buffer type
   */
  protected void onWebSocketWriteComplete(Handle handle, Object context, WebSocketStatus result) {}

  /**
   * {@code REQUEST_ERROR}: an asynchronous operation failed, or was cancelled by closing its handle
   * ({@link ErrorCode#OPERATION_CANCELLED}); its future then fails with the same {@code error}.
   *
   * @param handle the request or websocket
   * @param context its context, possibly null
   * @param api which operation failed
   * @param error the failure; {@link HttpException#code()} says why
   */
  protected void onRequestError(Handle handle, Object context, AsyncApi api, HttpException error) {}

  /**
   * {@code SHUTDOWN_COMPLETE}: {@code WebSocket.shutdown} completed (the close frame was sent). Not
   * emitted yet.
   *
   * @param handle the websocket
   * @param context its context, possibly null
   */
  protected void onShutdownComplete(Handle handle, Object context) {}

  /**
   * {@code CLOSE_COMPLETE}: {@code WebSocket.close} completed (close frames exchanged). Not emitted
   * yet.
   *
   * @param handle the websocket
   * @param context its context, possibly null
   */
  protected void onCloseComplete(Handle handle, Object context) {}

  /**
   * {@code GETPROXYFORURL_COMPLETE}: completion of {@code WinHttpGetProxyForUrlEx}. Never called:
   * telltale has no such operation and no {@link StatusEvent} for it; the method exists so that
   * every {@link CallbackStatus} has one.
   *
   * @param handle the handle the notification would be delivered through
   * @param context its context, possibly null
   */
  protected void onGetProxyForUrlComplete(Handle handle, Object context) {}
}
