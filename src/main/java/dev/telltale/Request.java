package dev.telltale;

import dev.telltale.internal.Exchange;
import dev.telltale.internal.HandleCore;
import dev.telltale.internal.Op;
import dev.telltale.internal.Origin;
import dev.telltale.internal.RequestBuilderAccess;
import dev.telltale.internal.RequestMessage;
import dev.telltale.internal.WebSocketHandover;
import dev.telltale.internal.WsUpgradeOffer;
import dev.telltale.internal.auth.Authenticator;
import dev.telltale.internal.http1.Http1RequestWriter;
import dev.telltale.internal.loop.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code WinHttpOpenRequest}: one HTTP request and its response.
 *
 * <p>Every operation returns at once with a future. Its completion is reported twice, in this
 * order: the completion notification to the status callback (if the flags let it through), then
 * the future. A failure is {@code REQUEST_ERROR(api, error)} and the future failing with an
 * {@link HttpException}. A call in the wrong state (a second {@link #receiveResponse()},
 * {@link #readData} before the headers, ...) fails the same way with INCORRECT_HANDLE_STATE and
 * leaves the request usable for valid calls. Calls on a closed handle throw
 * {@link HandleException} with INVALID_HANDLE.
 *
 * <p>The notifications of a request on a new connection are RESOLVING_NAME, NAME_RESOLVED,
 * CONNECTING_TO_SERVER, CONNECTED_TO_SERVER, SENDING_REQUEST, REQUEST_SENT, SENDREQUEST_COMPLETE;
 * a pooled connection starts at SENDING_REQUEST. {@link #receiveResponse()} gives
 * RECEIVING_RESPONSE, RESPONSE_RECEIVED (INTERMEDIATE_RESPONSE for a 1xx; REDIRECT and a whole
 * internal cycle for each redirect followed), HEADERS_AVAILABLE. They run on the session's I/O
 * threads unless the session has a callback executor.
 */
public final class Request implements Handle {
  /** {@code WINHTTP_IGNORE_REQUEST_TOTAL_LENGTH}: the body length is unknown; it is sent chunked. */
  public static final long LENGTH_UNKNOWN = -1;

  private final HandleCore core;
  private final Connect connect;
  private final String method;
  private final String path;
  private final boolean secure;
  private final Exchange exchange;
  private final List<String> fields = new ArrayList<>();

  Request(Connect connect, HandleCore parent, String method, String path, boolean secure) {
    this.connect = connect;
    this.method = method;
    this.path = path;
    this.secure = secure;
    this.core = new HandleCore(this, HandleType.REQUEST, parent, parent.session());
    this.exchange = new Exchange(core, parent.session().loops().next());
  }

  void announce() {
    core.announceCreated(this);
  }

  /** The request method. */
  public String method() {
    return method;
  }

  /** The request target (path and query) as opened. */
  public String path() {
    return path;
  }

  /** Whether the request goes over TLS ({@link OpenRequestFlag#SECURE}). */
  public boolean isSecure() {
    return secure;
  }

  /**
   * {@code WinHttpAddRequestHeaders} (ADD): adds a header field to the requests sent from now on.
   *
   * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or NUL
   */
  public void addHeader(String name, String value) {
    core.checkOpen();
    Http1RequestWriter.validateFieldName(name);
    Http1RequestWriter.validateFieldValue(value);
    synchronized (fields) {
      fields.add(name);
      fields.add(value.trim());
    }
  }

  /**
   * Adds header fields given as {@code "Name: value"} lines separated by CRLF (or LF).
   *
   * @throws IllegalArgumentException if a line has no colon or a name or value is invalid
   */
  public void addHeaders(String crlfSeparatedHeaderLines) {
    core.checkOpen();
    List<String> parsed = RequestBuilderAccess.parseHeaderLines(crlfSeparatedHeaderLines);
    synchronized (fields) {
      fields.addAll(parsed);
    }
  }

  /**
   * {@code WinHttpSendRequest} without extra headers or body. Completes with
   * SENDREQUEST_COMPLETE.
   */
  public CompletableFuture<Void> sendRequest() {
    return sendRequest(null, null, 0, null);
  }

  /**
   * {@code WinHttpSendRequest}.
   *
   * @param extraHeaders header lines for this send (CRLF separated), or null
   * @param optional the body, or its first part; read from its position, not modified
   * @param totalLength the whole body length; larger than {@code optional.remaining()} means the
   *     rest follows through {@link #writeData}; {@link #LENGTH_UNKNOWN} means a chunked upload
   *     ended by {@link #receiveResponse()}
   * @param context if non-null, replaces the request's context (rule 7)
   * @return completes after SENDREQUEST_COMPLETE
   * @throws IllegalArgumentException if {@code totalLength} is below -1 or below the optional
   *     body's size, or a header is invalid
   */
  public CompletableFuture<Void> sendRequest(String extraHeaders, ByteBuffer optional,
      long totalLength, Object context) {
    core.checkOpen();
    int given = optional == null ? 0 : optional.remaining();
    if (totalLength < LENGTH_UNKNOWN || (totalLength >= 0 && totalLength < given)) {
      throw new IllegalArgumentException("totalLength must be -1 (unknown) or at least the "
          + given + " optional bytes: " + totalLength);
    }
    List<String> all;
    synchronized (fields) {
      all = new ArrayList<>(fields);
    }
    if (extraHeaders != null && !extraHeaders.isEmpty()) {
      all.addAll(RequestBuilderAccess.parseHeaderLines(extraHeaders));
    }
    if (context != null) {
      core.setContext(context);
    }
    ByteBuffer body = optional == null ? null : optional.duplicate();
    long total = totalLength == 0 ? given : totalLength;
    Origin origin = connect.origin(secure, SecurityFlag.mask(core.value(Option.SECURITY_FLAGS)),
        core.session().secureProtocols());
    WsUpgradeOffer upgrade = null;
    if (Boolean.TRUE.equals(core.value(Option.UPGRADE_TO_WEB_SOCKET))) {
      // a fresh key for every send (RFC 6455 §4.1), checked against the 101's Sec-WebSocket-Accept
      upgrade = WsUpgradeOffer.create(Boolean.TRUE.equals(core.value(Option.WEB_SOCKET_PERMESSAGE_DEFLATE)));
      upgrade.addFields(all);
    }
    Op op = new Op(AsyncApi.SEND_REQUEST);
    RequestMessage message = new RequestMessage(method, path, origin, all);
    WsUpgradeOffer offer = upgrade;
    exchange.loop().execute(() -> exchange.send(op, message, body, total, offer));
    return op.future();
  }

  /**
   * {@code WinHttpWriteData}: sends more of the body announced by {@code totalLength}. Completes
   * with WRITE_COMPLETE(bytes written). {@code src} is read from its position.
   */
  public CompletableFuture<Integer> writeData(ByteBuffer src) {
    core.checkOpen();
    Objects.requireNonNull(src, "src");
    Op op = new Op(AsyncApi.WRITE_DATA);
    ByteBuffer data = src.duplicate();
    exchange.loop().execute(() -> exchange.write(op, data));
    return op.future();
  }

  /**
   * {@code WinHttpReceiveResponse}: waits for the response headers, following redirects under
   * {@link Option#REDIRECT_POLICY}. Completes with HEADERS_AVAILABLE and the headers.
   */
  public CompletableFuture<ResponseHeaders> receiveResponse() {
    core.checkOpen();
    Op op = new Op(AsyncApi.RECEIVE_RESPONSE);
    EventLoop loop = exchange.loop();
    if (loop.inLoop()) {
      exchange.receive(op); // chained from a completion: no task object for the common case
    } else {
      loop.submit(() -> exchange.receive(op));
    }
    return op.future();
  }

  /**
   * {@code WinHttpQueryHeaders}: the response headers, once HEADERS_AVAILABLE was reported.
   *
   * @throws HandleException INCORRECT_HANDLE_STATE before the headers are available
   */
  public ResponseHeaders queryHeaders() {
    core.checkOpen();
    ResponseHeaders headers = exchange.publishedHeaders;
    if (headers == null) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_STATE,
          "the response headers are not available yet: call receiveResponse first");
    }
    return headers;
  }

  /**
   * {@code WinHttpQueryDataAvailable}: completes with DATA_AVAILABLE(n), the body bytes that can be
   * read now without waiting; 0 means the body is complete.
   */
  public CompletableFuture<Integer> queryDataAvailable() {
    core.checkOpen();
    Op op = new Op(AsyncApi.QUERY_DATA_AVAILABLE);
    EventLoop loop = exchange.loop();
    if (loop.inLoop()) {
      exchange.data(op, null); // chained from a completion: no task object for the common case
    } else {
      loop.submit(() -> exchange.data(op, null));
    }
    return op.future();
  }

  /**
   * {@code WinHttpReadData}: reads body bytes into {@code dst} from its position (the position
   * advances by the count). Completes with READ_COMPLETE(dst, n); 0 means the body is complete.
   * The buffer belongs to the library until the operation completes.
   *
   * @throws IllegalArgumentException if {@code dst} has no room (0 would mean end of body)
   */
  public CompletableFuture<Integer> readData(ByteBuffer dst) {
    core.checkOpen();
    Objects.requireNonNull(dst, "dst");
    if (!dst.hasRemaining()) {
      throw new IllegalArgumentException("readData needs a buffer with room: 0 bytes remaining");
    }
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("readData needs a writable buffer");
    }
    Op op = new Op(AsyncApi.READ_DATA);
    EventLoop loop = exchange.loop();
    if (loop.inLoop()) {
      exchange.data(op, dst); // chained from a completion: no task object for the common case
    } else {
      loop.submit(() -> exchange.data(op, dst));
    }
    return op.future();
  }

  /**
   * {@code WinHttpSetCredentials}: the user and password to answer {@code target}'s challenges
   * with, using {@code scheme}. They apply from the next send on (set them before
   * {@link #sendRequest()}, or before sending again after a 401).
   *
   * <p>With credentials set, a 401 (server) or 407 (proxy) whose challenges include
   * {@code scheme} is answered once automatically: the response body is discarded (the connection
   * is kept when it can be), and the request goes again with {@code Authorization} (or
   * {@code Proxy-Authorization}), as an internal cycle like a redirect's (SENDING_REQUEST,
   * REQUEST_SENT, RECEIVING_RESPONSE, RESPONSE_RECEIVED) before the one HEADERS_AVAILABLE. If that
   * answer is refused too, the second 401/407 is what {@link #receiveResponse()} delivers. Basic
   * server credentials go out pre-emptively, with the first attempt, as in WinHTTP; Digest needs
   * the server's nonce first, and once it has one, later sends on this handle reuse it with an
   * incremented nonce count. Server credentials go only to the origin (scheme, host and port) the
   * request was sent to: never to another origin after a redirect.
   *
   * <p>A challenge is not answered when the request body was streamed through
   * {@link #writeData} (it cannot be sent twice): the 401/407 is delivered to the application,
   * which may send again with the body. Proxy credentials are sent only in answer to a 407.
   *
   * @param target whose challenge the credentials answer
   * @param scheme {@link AuthScheme#BASIC} or {@link AuthScheme#DIGEST}
   * @throws IllegalArgumentException if an argument is null
   * @throws HandleException INVALID_PARAMETER for a scheme telltale cannot answer (NTLM,
   *     Negotiate, Passport)
   */
  public void setCredentials(AuthTarget target, AuthScheme scheme, String user, String password) {
    core.checkOpen();
    if (target == null || scheme == null || user == null || password == null) {
      throw new IllegalArgumentException("setCredentials needs a target, a scheme, a user and a "
          + "password (an empty password is allowed, null is not)");
    }
    if (!scheme.isSupported()) {
      throw new HandleException(ErrorCode.INVALID_PARAMETER, scheme
          + " authentication is not supported by telltale: use BASIC or DIGEST");
    }
    exchange.loop().execute(() -> exchange.setCredentials(target, scheme, user, password));
  }

  /**
   * {@code WinHttpQueryAuthSchemes}: the schemes a 401 or 407 response offers, the first of them
   * (the server's preference) and who asked.
   *
   * @throws HandleException INCORRECT_HANDLE_STATE before the headers are available;
   *     INVALID_OPERATION if the response is not a 401 or 407 or offers no scheme telltale knows
   */
  public AuthSchemes queryAuthSchemes() {
    core.checkOpen();
    ResponseHeaders headers = exchange.publishedHeaders;
    if (headers == null) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_STATE,
          "the response headers are not available yet: call receiveResponse first");
    }
    int status = headers.statusCode();
    AuthSchemes schemes = Authenticator.schemesOf(status,
        headers.values(Authenticator.challengeField(status)));
    if (schemes == null) {
      throw new HandleException(ErrorCode.INVALID_OPERATION, status == 401 || status == 407
          ? "the " + status + " response offers no authentication scheme telltale knows"
          : "no authentication challenge: the response status is " + status + ", not 401 or 407");
    }
    return schemes;
  }

  /**
   * {@code WinHttpWebSocketCompleteUpgrade}: turns a request sent with {@link
   * Option#UPGRADE_TO_WEB_SOCKET} and answered with a valid 101 into a {@link WebSocket}, which
   * takes over the connection. HANDLE_CREATED (payload: the websocket) is delivered through this
   * request before the call returns. The request may be closed right after (rule 24); its headers
   * stay queryable until then, and sending it again with the option set gives a new websocket.
   *
   * @param context the websocket's context (rule 2); may be null
   * @return the new websocket handle
   * @throws HandleException INCORRECT_HANDLE_STATE if the response is not a 101 to an upgrade
   *     request, or its connection was taken by an earlier completeUpgrade
   */
  public WebSocket completeUpgrade(Object context) {
    core.checkOpen();
    ResponseHeaders headers = exchange.publishedHeaders;
    if (headers == null || headers.statusCode() != 101) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_STATE,
          "completeUpgrade needs a 101 Switching Protocols response");
    }
    WebSocketHandover handover = exchange.takeUpgrade();
    if (handover == null) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_STATE, "completeUpgrade needs a 101 to a "
          + "request sent with UPGRADE_TO_WEB_SOCKET whose connection was not taken already");
    }
    WebSocket socket = new WebSocket(this, core, handover, context);
    core.announceCreated(socket);
    socket.start();
    return socket;
  }

  /** Applies {@code WinHttpSetTimeouts} to this request only. */
  public void setTimeouts(Timeouts timeouts) {
    core.checkOpen();
    Objects.requireNonNull(timeouts, "timeouts");
    core.setOption(Option.RESOLVE_TIMEOUT, timeouts.resolve());
    core.setOption(Option.CONNECT_TIMEOUT, timeouts.connect());
    core.setOption(Option.SEND_TIMEOUT, timeouts.send());
    core.setOption(Option.RECEIVE_TIMEOUT, timeouts.receive());
    core.setOption(Option.RECEIVE_RESPONSE_TIMEOUT, timeouts.receiveResponse());
  }

  /**
   * What TLS negotiated for this request's connection: empty for plain http, or before the
   * connection is established (available from SENDREQUEST_COMPLETE on). Like every call, it
   * throws {@link HandleException} (INVALID_HANDLE) once the handle is closed: read it before.
   */
  public Optional<SecurityInfo> securityInfo() {
    core.checkOpen();
    return Optional.ofNullable(exchange.securityInfo);
  }

  /**
   * Where this request's time went: resolve, connect, TLS, send, wait, download and total, bytes
   * each way, redirects and whether the connection was reused. Final once the body is complete
   * (or the request failed); before that, the figures so far. Read it before closing the handle,
   * for instance in the callback of the last READ_COMPLETE: like every call, it throws
   * {@link HandleException} (INVALID_HANDLE) once the handle is closed.
   */
  public RequestTimings timings() {
    core.checkOpen();
    return exchange.timings();
  }

  /**
   * Which connection serves this request (from SENDING_REQUEST on; after a redirect, the last
   * hop's), or empty before one was assigned: id, both addresses, reused or new, TLS protocol.
   * Throws {@link HandleException} (INVALID_HANDLE) once the handle is closed: read it before.
   */
  public Optional<ConnectionInfo> connectionInfo() {
    core.checkOpen();
    return Optional.ofNullable(exchange.connectionInfo());
  }

  /** Whether the last exchange was served by a connection taken from the pool. */
  public boolean isConnectionReused() {
    return exchange.reusedConnection();
  }

  @Override
  public HandleType type() {
    return HandleType.REQUEST;
  }

  /** The connect handle this request was opened from. */
  @Override
  public Connect parent() {
    return connect;
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
   * Closes the request: pending operations report REQUEST_ERROR(OPERATION_CANCELLED), an unread
   * body is drained (up to MAX_RESPONSE_DRAIN_SIZE) so the connection can be reused, then
   * HANDLE_CLOSING.
   */
  @Override
  public void close() {
    if (core.markClosed()) {
      // Always queued, even on the loop: closing from inside this request's own callback must
      // not tear the exchange down in the middle of the step that emitted the notification.
      exchange.loop().submit(exchange::close);
    }
  }

  @Override
  public String toString() {
    return "Request(" + method + " " + path + (isClosed() ? ", closed)" : ")");
  }
}
