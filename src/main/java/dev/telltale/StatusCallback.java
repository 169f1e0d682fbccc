package dev.telltale;

/**
 * Receives status notifications: the Java form of WinHTTP's {@code WINHTTP_STATUS_CALLBACK}
 * function, installed with {@link Handle#setStatusCallback(StatusCallback, NotificationFlags)}
 * (WinHttpSetStatusCallback). Only statuses contained in the installed {@link NotificationFlags}
 * are delivered; the others cost nothing.
 *
 * <pre>{@code
 * session.setStatusCallback((handle, context, event) -> {
 *   switch (event.status()) {
 *     case HEADERS_AVAILABLE -> log.info("headers for {}", context);
 *     case REQUEST_ERROR -> log.warn("failed: {}", event);
 *     default -> { }
 *   }
 * }, NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS, NotificationFlags.HANDLES));
 * }</pre>
 *
 * <h2>Arguments</h2>
 *
 * <p>{@code handle} is the handle the notification is delivered through ({@code hInternet}), and
 * {@code context} is that handle's context ({@code dwContext}, {@code
 * WINHTTP_OPTION_CONTEXT_VALUE}, possibly null) at the time of delivery. A child handle snapshots
 * its parent's callback, flags and context when it is created. {@code event} carries the status and
 * its information ({@code dwInternetStatus}, {@code lpvStatusInformation}); see {@link
 * StatusEvent}.
 *
 * <h2>Ordering and threads</h2>
 *
 * <ul>
 *   <li>Notifications for one handle are never delivered concurrently and always arrive in order (a
 *       guarantee WinHTTP does not give). Different handles may be notified at the same time.
 *   <li>{@code HANDLE_CLOSING} is the last notification of a handle, delivered exactly once; a
 *       parent's comes after all of its children's.
 *   <li>An operation's completion notification ({@code SENDREQUEST_COMPLETE}, {@code
 *       HEADERS_AVAILABLE}, {@code DATA_AVAILABLE}, {@code READ_COMPLETE}, {@code WRITE_COMPLETE},
 *       {@code SHUTDOWN_COMPLETE}, {@code CLOSE_COMPLETE} or {@code REQUEST_ERROR}) is delivered
 *       before the operation's future completes, so a callback never sees its own future already
 *       done by the same operation.
 *   <li>Notifications caused by network work run on the session's I/O threads, unless the session
 *       was built with a callback executor, in which case they run there (still one at a time per
 *       handle). {@code HANDLE_CREATED} runs on the thread that created the handle, inside the
 *       creating call.
 *   <li>An operation started inside a callback that completes at once is delivered after the
 *       current callback returns, so chains of reads do not grow the stack.
 * </ul>
 *
 * <h2>Rules for implementations</h2>
 *
 * <ul>
 *   <li>Do not block: on the I/O threads a blocking callback stalls every connection of that
 *       thread. Hand slow work to another executor (as WinHTTP documents for its callbacks).
 *   <li>Exceptions thrown by the callback are logged (SLF4J) and otherwise ignored; they do not
 *       fail or change the request.
 *   <li>Starting the next operation from inside the callback (e.g. {@code readData} from {@code
 *       DATA_AVAILABLE}) is allowed and is the usual pattern.
 * </ul>
 *
 * <h2>What each operation reports</h2>
 *
 * <p>In order; statuses in brackets may be absent. Every asynchronous operation may instead end
 * with {@code REQUEST_ERROR} naming it ({@link AsyncApi}), and an operation pending when its handle
 * is closed ends with {@code REQUEST_ERROR(..., OPERATION_CANCELLED)} before {@code
 * HANDLE_CLOSING}.
 *
 * <ul>
 *   <li>Creating a handle ({@code session.connect}, {@code connect.openRequest}, {@code
 *       request.completeUpgrade}): {@code HANDLE_CREATED}. Closing it: {@code HANDLE_CLOSING}.
 *   <li>{@code sendRequest}: [{@code RESOLVING_NAME}, {@code NAME_RESOLVED}, {@code
 *       CONNECTING_TO_SERVER} (repeated per address tried), {@code CONNECTED_TO_SERVER}] (absent on
 *       a pooled connection), [{@code SECURE_FAILURE}], {@code SENDING_REQUEST}, {@code
 *       REQUEST_SENT}, {@code SENDREQUEST_COMPLETE}.
 *   <li>{@code writeData}: {@code WRITE_COMPLETE}.
 *   <li>{@code receiveResponse}: {@code RECEIVING_RESPONSE}, {@code RESPONSE_RECEIVED}, then for
 *       each 1xx {@code INTERMEDIATE_RESPONSE} and for each followed redirect {@code REDIRECT} plus
 *       a new cycle (resolve/connect as needed, {@code SENDING_REQUEST}, {@code REQUEST_SENT},
 *       {@code RECEIVING_RESPONSE}, {@code RESPONSE_RECEIVED}), and finally {@code
 *       HEADERS_AVAILABLE}.
 *   <li>{@code queryDataAvailable}: [{@code CLOSING_CONNECTION}, {@code CONNECTION_CLOSED}] (at the
 *       end of the body of a non-persistent connection), {@code DATA_AVAILABLE}.
 *   <li>{@code readData}: [{@code CLOSING_CONNECTION}, {@code CONNECTION_CLOSED}] (as above),
 *       {@code READ_COMPLETE}.
 *   <li>{@code WebSocket.send}: {@code WRITE_COMPLETE} ({@link
 *       StatusEvent.WebSocketWriteComplete}); {@code WebSocket.receive}: {@code READ_COMPLETE}
 *       ({@link StatusEvent.WebSocketReadComplete}); {@code WebSocket.shutdown}: {@code
 *       SHUTDOWN_COMPLETE}; {@code WebSocket.close}: {@code CLOSE_COMPLETE}.
 * </ul>
 *
 * <p>Note that {@link NotificationFlags#ALL_COMPLETIONS} does not include the websocket {@code
 * SHUTDOWN_COMPLETE} and {@code CLOSE_COMPLETE}, as in winhttp.h.
 */
@FunctionalInterface
public interface StatusCallback {

  /**
   * Receives one notification.
   *
   * @param handle the handle the notification is delivered through ({@code hInternet})
   * @param context that handle's context ({@code dwContext}), possibly null
   * @param event the status and its information
   */
  void onStatus(Handle handle, Object context, StatusEvent event);
}
