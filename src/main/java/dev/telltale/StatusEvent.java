package dev.telltale;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One status notification, as delivered to {@link StatusCallback#onStatus}: the typed form of
 * WinHTTP's {@code (dwInternetStatus, lpvStatusInformation, dwStatusInformationLength)} triple.
 *
 * <p>Each kind is a record nested here whose fields are what WinHTTP passes in {@code
 * lpvStatusInformation}, and {@link #status()} is the {@code WINHTTP_CALLBACK_STATUS_*} it
 * corresponds to. Switch on the record type (or on {@code status()}, as C code does):
 *
 * <pre>{@code
 * (handle, context, event) -> {
 *   if (event instanceof StatusEvent.DataAvailable d) {
 *     log.info("{} bytes ready", d.bytesAvailable());
 *   } else if (event instanceof StatusEvent.RequestError e) {
 *     log.warn("{} failed", e.api(), e.error());
 *   }
 * }
 * }</pre>
 *
 * <p>Websocket completions have their own records ({@link WebSocketReadComplete}, {@link
 * WebSocketWriteComplete}) with the same {@code status()} as the HTTP ones, as in WinHTTP where the
 * information is a {@code WINHTTP_WEB_SOCKET_STATUS} instead of a byte count. Records without a
 * payload have a shared {@code INSTANCE}. Each record's {@code toString()} is one short line (e.g.
 * {@code RESOLVING_NAME localhost}) that never contains header values or URL query strings.
 */
public sealed interface StatusEvent {

  /**
   * Returns the WinHTTP status this event reports.
   *
   * @return the {@code WINHTTP_CALLBACK_STATUS_*} constant
   */
  CallbackStatus status();

  /**
   * {@code WINHTTP_CALLBACK_STATUS_RESOLVING_NAME}: looking up the server's address, before a new
   * connection is made (not sent for a pooled connection).
   *
   * @param hostName the name being resolved (the server's, or the proxy's), not null
   */
  record ResolvingName(String hostName) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param hostName the name being resolved (the server's, or the proxy's), not null
     */
    public ResolvingName {
      Objects.requireNonNull(hostName, "hostName");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.RESOLVING_NAME;
    }

    /** Returns e.g. {@code RESOLVING_NAME example.com}. */
    @Override
    public String toString() {
      return "RESOLVING_NAME " + hostName;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_NAME_RESOLVED}: the name was resolved. WinHTTP passes one
   * address as a string; telltale passes all of them, in the order they will be tried.
   *
   * @param hostName the name that was resolved, not null
   * @param addresses the addresses found, not null, copied
   */
  record NameResolved(String hostName, List<InetAddress> addresses) implements StatusEvent {
    /**
     * Validates and copies the payload.
     *
     * @param hostName the name that was resolved, not null
     * @param addresses the addresses found, not null, copied
     */
    public NameResolved {
      Objects.requireNonNull(hostName, "hostName");
      addresses = List.copyOf(addresses);
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.NAME_RESOLVED;
    }

    /** Returns e.g. {@code NAME_RESOLVED localhost [127.0.0.1, ::1]}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("NAME_RESOLVED ").append(hostName).append(" [");
      for (int i = 0; i < addresses.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(addresses.get(i).getHostAddress());
      }
      return sb.append(']').toString();
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER}: opening a connection to one address. With
   * several addresses a failed attempt may be followed by another one for the next address.
   *
   * @param address the address and port being connected to, not null
   */
  record ConnectingToServer(InetSocketAddress address) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param address the address and port being connected to, not null
     */
    public ConnectingToServer {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.CONNECTING_TO_SERVER;
    }

    /** Returns e.g. {@code CONNECTING_TO_SERVER 127.0.0.1:8080}. */
    @Override
    public String toString() {
      return "CONNECTING_TO_SERVER " + format(address);
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER}: the connection (TCP; TLS follows) is
   * established.
   *
   * @param address the address and port connected to, not null
   */
  record ConnectedToServer(InetSocketAddress address) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param address the address and port connected to, not null
     */
    public ConnectedToServer {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.CONNECTED_TO_SERVER;
    }

    /** Returns e.g. {@code CONNECTED_TO_SERVER 127.0.0.1:8080}. */
    @Override
    public String toString() {
      return "CONNECTED_TO_SERVER " + format(address);
    }
  }

  /** {@code WINHTTP_CALLBACK_STATUS_SENDING_REQUEST}: starting to write the request. */
  record SendingRequest() implements StatusEvent {
    /** The shared instance. */
    public static final SendingRequest INSTANCE = new SendingRequest();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.SENDING_REQUEST;
    }

    /** Returns {@code SENDING_REQUEST}. */
    @Override
    public String toString() {
      return "SENDING_REQUEST";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_REQUEST_SENT}: the request head, and the body passed to {@code
   * sendRequest}, have been written.
   *
   * @param bytesSent the number of bytes written, not negative
   */
  record RequestSent(long bytesSent) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param bytesSent the number of bytes written, not negative
     */
    public RequestSent {
      requireNonNegative(bytesSent, "bytesSent");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.REQUEST_SENT;
    }

    /** Returns e.g. {@code REQUEST_SENT 78}. */
    @Override
    public String toString() {
      return "REQUEST_SENT " + bytesSent;
    }
  }

  /** {@code WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE}: waiting for the response head. */
  record ReceivingResponse() implements StatusEvent {
    /** The shared instance. */
    public static final ReceivingResponse INSTANCE = new ReceivingResponse();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.RECEIVING_RESPONSE;
    }

    /** Returns {@code RECEIVING_RESPONSE}. */
    @Override
    public String toString() {
      return "RECEIVING_RESPONSE";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED}: a response head has been received.
   *
   * @param bytesReceived the size of the response head in bytes, not negative
   */
  record ResponseReceived(long bytesReceived) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param bytesReceived the size of the response head in bytes, not negative
     */
    public ResponseReceived {
      requireNonNegative(bytesReceived, "bytesReceived");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.RESPONSE_RECEIVED;
    }

    /** Returns e.g. {@code RESPONSE_RECEIVED 145}. */
    @Override
    public String toString() {
      return "RESPONSE_RECEIVED " + bytesReceived;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION}: the exchange ends the connection ({@code
   * Connection: close}, or HTTP/1.0 without keep-alive); delivered to that request just before the
   * notification that reports the end of the body.
   */
  record ClosingConnection() implements StatusEvent {
    /** The shared instance. */
    public static final ClosingConnection INSTANCE = new ClosingConnection();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.CLOSING_CONNECTION;
    }

    /** Returns {@code CLOSING_CONNECTION}. */
    @Override
    public String toString() {
      return "CLOSING_CONNECTION";
    }
  }

  /** {@code WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED}: the connection has been closed. */
  record ConnectionClosed() implements StatusEvent {
    /** The shared instance. */
    public static final ConnectionClosed INSTANCE = new ConnectionClosed();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.CONNECTION_CLOSED;
    }

    /** Returns {@code CONNECTION_CLOSED}. */
    @Override
    public String toString() {
      return "CONNECTION_CLOSED";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_HANDLE_CREATED}: a handle was created; delivered inside the
   * creating call, on the creating thread, before it returns.
   *
   * @param created the new handle, not null
   */
  record HandleCreated(Handle created) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param created the new handle, not null
     */
    public HandleCreated {
      Objects.requireNonNull(created, "created");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.HANDLE_CREATED;
    }

    /** Returns e.g. {@code HANDLE_CREATED REQUEST}. */
    @Override
    public String toString() {
      return "HANDLE_CREATED " + created.type();
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING}: the handle is closing; this is its last
   * notification, delivered exactly once.
   *
   * @param closing the handle being closed, not null
   */
  record HandleClosing(Handle closing) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param closing the handle being closed, not null
     */
    public HandleClosing {
      Objects.requireNonNull(closing, "closing");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.HANDLE_CLOSING;
    }

    /** Returns e.g. {@code HANDLE_CLOSING REQUEST}. */
    @Override
    public String toString() {
      return "HANDLE_CLOSING " + closing.type();
    }
  }

  /** {@code WINHTTP_CALLBACK_STATUS_DETECTING_PROXY}: proxy auto-detection is running. */
  record DetectingProxy() implements StatusEvent {
    /** The shared instance. */
    public static final DetectingProxy INSTANCE = new DetectingProxy();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.DETECTING_PROXY;
    }

    /** Returns {@code DETECTING_PROXY}. */
    @Override
    public String toString() {
      return "DETECTING_PROXY";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_REDIRECT}: a redirect is being followed during {@code
   * receiveResponse}; a new request cycle to the location follows.
   *
   * @param location the absolute URI being redirected to, not null
   */
  record Redirect(URI location) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param location the absolute URI being redirected to, not null
     */
    public Redirect {
      Objects.requireNonNull(location, "location");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.REDIRECT;
    }

    /**
     * Returns e.g. {@code REDIRECT https://example.com/next?…}: user info, query and fragment are
     * left out since they may carry secrets; {@link #location()} has them.
     */
    @Override
    public String toString() {
      return "REDIRECT " + redact(location);
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_INTERMEDIATE_RESPONSE}: a 1xx response other than 101 (e.g. 100
   * Continue) was received and skipped during {@code receiveResponse}.
   *
   * @param statusCode the 1xx status code
   */
  record IntermediateResponse(int statusCode) implements StatusEvent {
    /**
     * Validates the payload: 100 to 199.
     *
     * @param statusCode the 1xx status code
     */
    public IntermediateResponse {
      if (statusCode < 100 || statusCode > 199) {
        throw new IllegalArgumentException("statusCode not in 100..199: " + statusCode);
      }
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.INTERMEDIATE_RESPONSE;
    }

    /** Returns e.g. {@code INTERMEDIATE_RESPONSE 100}. */
    @Override
    public String toString() {
      return "INTERMEDIATE_RESPONSE " + statusCode;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_SECURE_FAILURE}: TLS failed; sent before the {@link
   * RequestError} with {@link ErrorCode#SECURE_FAILURE}.
   *
   * @param flags why, as {@code WINHTTP_CALLBACK_STATUS_FLAG_*} values; not null, copied
   */
  record SecureFailure(Set<SecureFailureFlag> flags) implements StatusEvent {
    /**
     * Validates and copies the payload.
     *
     * @param flags why, as {@code WINHTTP_CALLBACK_STATUS_FLAG_*} values; not null, copied
     */
    public SecureFailure {
      EnumSet<SecureFailureFlag> copy = EnumSet.noneOf(SecureFailureFlag.class);
      copy.addAll(flags);
      flags = Collections.unmodifiableSet(copy);
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.SECURE_FAILURE;
    }

    /** Returns e.g. {@code SECURE_FAILURE INVALID_CA|CERT_DATE_INVALID}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("SECURE_FAILURE");
      char sep = ' ';
      for (SecureFailureFlag f : flags) {
        sb.append(sep).append(f.name());
        sep = '|';
      }
      return sb.toString();
    }
  }

  /** {@code WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE}: {@code sendRequest} completed. */
  record SendRequestComplete() implements StatusEvent {
    /** The shared instance. */
    public static final SendRequestComplete INSTANCE = new SendRequestComplete();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.SENDREQUEST_COMPLETE;
    }

    /** Returns {@code SENDREQUEST_COMPLETE}. */
    @Override
    public String toString() {
      return "SENDREQUEST_COMPLETE";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE}: {@code receiveResponse} completed; the final
   * response's headers can be queried.
   */
  record HeadersAvailable() implements StatusEvent {
    /** The shared instance. */
    public static final HeadersAvailable INSTANCE = new HeadersAvailable();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.HEADERS_AVAILABLE;
    }

    /** Returns {@code HEADERS_AVAILABLE}. */
    @Override
    public String toString() {
      return "HEADERS_AVAILABLE";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE}: {@code queryDataAvailable} completed.
   *
   * @param bytesAvailable bytes that can be read without waiting; 0 means the end of the body
   */
  record DataAvailable(int bytesAvailable) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param bytesAvailable bytes that can be read without waiting; 0 means the end of the body
     */
    public DataAvailable {
      requireNonNegative(bytesAvailable, "bytesAvailable");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.DATA_AVAILABLE;
    }

    /** Returns e.g. {@code DATA_AVAILABLE 1024}. */
    @Override
    public String toString() {
      return "DATA_AVAILABLE " + bytesAvailable;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_READ_COMPLETE} for a request: {@code readData} completed.
   *
   * @param buffer the caller's buffer the bytes were written into (from its position at the call),
   *     not null
   * @param bytesRead bytes read; 0 means the end of the body
   */
  record ReadComplete(ByteBuffer buffer, int bytesRead) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param buffer the caller's buffer the bytes were written into (from its position at the
     *     call), not null
     * @param bytesRead bytes read; 0 means the end of the body
     */
    public ReadComplete {
      Objects.requireNonNull(buffer, "buffer");
      requireNonNegative(bytesRead, "bytesRead");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.READ_COMPLETE;
    }

    /** Returns e.g. {@code READ_COMPLETE 1024}. */
    @Override
    public String toString() {
      return "READ_COMPLETE " + bytesRead;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE} for a request: {@code writeData} completed.
   *
   * @param bytesWritten bytes written, not negative
   */
  record WriteComplete(int bytesWritten) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param bytesWritten bytes written, not negative
     */
    public WriteComplete {
      requireNonNegative(bytesWritten, "bytesWritten");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.WRITE_COMPLETE;
    }

    /** Returns e.g. {@code WRITE_COMPLETE 1024}. */
    @Override
    public String toString() {
      return "WRITE_COMPLETE " + bytesWritten;
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_READ_COMPLETE} for a websocket: {@code WebSocket.receive}
   * completed; the information is a {@code WINHTTP_WEB_SOCKET_STATUS}.
   *
   * @param result bytes received and their buffer type ({@code CLOSE} with 0 bytes for the peer's
   *     close frame), not null
   */
  record WebSocketReadComplete(WebSocketStatus result) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param result bytes received and their buffer type ({@code CLOSE} with 0 bytes for the peer's
     *     close frame), not null
     */
    public WebSocketReadComplete {
      Objects.requireNonNull(result, "result");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.READ_COMPLETE;
    }

    /** Returns e.g. {@code READ_COMPLETE 5 UTF8_MESSAGE}. */
    @Override
    public String toString() {
      return "READ_COMPLETE " + result.bytesTransferred() + ' ' + result.bufferType();
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE} for a websocket: {@code WebSocket.send}
   * completed; the information is a {@code WINHTTP_WEB_SOCKET_STATUS}.
   *
   * @param result bytes sent and their buffer type, not null
   */
  record WebSocketWriteComplete(WebSocketStatus result) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param result bytes sent and their buffer type, not null
     */
    public WebSocketWriteComplete {
      Objects.requireNonNull(result, "result");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.WRITE_COMPLETE;
    }

    /** Returns e.g. {@code WRITE_COMPLETE 5 UTF8_MESSAGE}. */
    @Override
    public String toString() {
      return "WRITE_COMPLETE " + result.bytesTransferred() + ' ' + result.bufferType();
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_REQUEST_ERROR}: an asynchronous operation failed; the
   * information is a {@code WINHTTP_ASYNC_RESULT} (or {@code WINHTTP_WEB_SOCKET_ASYNC_RESULT}). The
   * operation's future then fails with the same {@code error}.
   *
   * @param api which operation failed ({@code dwResult}), not null
   * @param error the failure, whose {@link HttpException#code()} is {@code dwError}; not null
   */
  record RequestError(AsyncApi api, HttpException error) implements StatusEvent {
    /**
     * Validates the payload.
     *
     * @param api which operation failed ({@code dwResult}), not null
     * @param error the failure, whose {@link HttpException#code()} is {@code dwError}; not null
     */
    public RequestError {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public CallbackStatus status() {
      return CallbackStatus.REQUEST_ERROR;
    }

    /** Returns e.g. {@code REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT (12029)}. */
    @Override
    public String toString() {
      ErrorCode code = error.code();
      return "REQUEST_ERROR " + api + ' ' + code + " (" + code.value() + ')';
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_SHUTDOWN_COMPLETE}: {@code WebSocket.shutdown} completed (the
   * close frame was sent).
   */
  record ShutdownComplete() implements StatusEvent {
    /** The shared instance. */
    public static final ShutdownComplete INSTANCE = new ShutdownComplete();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.SHUTDOWN_COMPLETE;
    }

    /** Returns {@code SHUTDOWN_COMPLETE}. */
    @Override
    public String toString() {
      return "SHUTDOWN_COMPLETE";
    }
  }

  /**
   * {@code WINHTTP_CALLBACK_STATUS_CLOSE_COMPLETE}: {@code WebSocket.close} completed (close frames
   * exchanged); {@code queryCloseStatus} now answers.
   */
  record CloseComplete() implements StatusEvent {
    /** The shared instance. */
    public static final CloseComplete INSTANCE = new CloseComplete();

    @Override
    public CallbackStatus status() {
      return CallbackStatus.CLOSE_COMPLETE;
    }

    /** Returns {@code CLOSE_COMPLETE}. */
    @Override
    public String toString() {
      return "CLOSE_COMPLETE";
    }
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " < 0: " + value);
    }
  }

  /** {@code host:port}, numeric when resolved, IPv6 in brackets. */
  private static String format(InetSocketAddress address) {
    String host;
    if (address.isUnresolved()) {
      host = address.getHostString();
    } else {
      InetAddress a = address.getAddress();
      host = a instanceof Inet6Address ? '[' + a.getHostAddress() + ']' : a.getHostAddress();
    }
    return host + ':' + address.getPort();
  }

  /** The URI without user info, query or fragment; "?…" marks a dropped query. */
  private static String redact(URI uri) {
    if (uri.isOpaque()) {
      return uri.getScheme() + ":…";
    }
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) {
      sb.append(uri.getScheme()).append(':');
    }
    String authority = uri.getRawAuthority();
    if (authority != null) {
      int at = authority.lastIndexOf('@');
      sb.append("//").append(at < 0 ? authority : authority.substring(at + 1));
    }
    if (uri.getRawPath() != null) {
      sb.append(uri.getRawPath());
    }
    if (uri.getRawQuery() != null) {
      sb.append("?…");
    }
    return sb.toString();
  }
}
