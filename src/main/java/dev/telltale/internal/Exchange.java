package dev.telltale.internal;

import dev.telltale.ConnectionInfo;
import dev.telltale.CallbackStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.RequestTimings;
import dev.telltale.internal.util.Clock;
import dev.telltale.Option;
import dev.telltale.ResponseHeaders;
import dev.telltale.SecurityFlag;
import dev.telltale.StatusEvent;
import dev.telltale.Timeouts;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ChunkedBodyEncoder;
import dev.telltale.internal.http1.Http1Framing;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.tls.TlsTransport;
import dev.telltale.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's life on its loop: acquire a connection (pooled, or resolve and connect), send the
 * head and body, receive the head (interim responses, redirects), then hand out the body and give
 * the connection back the moment the body is complete. Every method runs on {@link #loop}; the
 * public {@code Request} submits to it, so nothing here needs a lock.
 *
 * <p>Operations are {@link Op}s: each completes exactly once, with its completion notification
 * first and its future second (both through the request's {@link CallbackDispatcher}).
 */
public final class Exchange implements Connection.User, ConnectionAcquirer.Client {
  private static final long CONTINUE_WAIT_NANOS = 1_000_000_000L;

  private enum Phase {
    IDLE, CONNECTING, SENDING, CONTINUE_WAIT, BODY_OPEN, REQUEST_DONE, HEAD_WAIT, BODY, COMPLETE, FAILED, CLOSED
  }

  private final HandleCore core;
  private final CallbackDispatcher events;
  private final SessionCore session;
  private final EventLoop loop;
  private final ExchangeIo io;

  private Phase phase = Phase.IDLE;
  private RequestMessage message;
  private RequestBody body = RequestBody.none();
  private boolean requestSaysClose;
  private long bytesSent;

  private Op sendOp;
  private Op writeOp;
  private Op receiveOp;
  private Op dataOp;
  private HttpException storedFailure;

  private Connection conn;
  private final ConnectionAcquirer acquirer;
  private boolean reusedConnection;
  private boolean retried;
  private boolean responseBytesSeen;
  private int redirectsFollowed;
  private Http1ResponseParser parser;
  private ResponseHead head;
  private ResponseHeaders headers;
  private BodyDecoder decoder;
  private boolean closeEventsDue;
  private final TimerSlot responseDeadline = new TimerSlot();
  private final RequestTelemetry telemetry = new RequestTelemetry();
  private final TimingRecorder timing = telemetry.timing;
  private final TimerSlot continueDeadline = new TimerSlot();

  public Exchange(HandleCore core, EventLoop loop) {
    this.core = core;
    this.events = core.dispatcher();
    this.session = core.session();
    this.loop = loop;
    this.io = new ExchangeIo(this);
    this.acquirer = new ConnectionAcquirer(loop, core, this, timing);
  }

  public EventLoop loop() {
    return loop;
  }

  private volatile Connection servedBy;
  private volatile boolean servedReused;

  /** The connection serving (or that last served) this request, or null; from any thread. */
  public ConnectionInfo connectionInfo() {
    Connection c = servedBy;
    if (c == null) {
      return null;
    }
    return c.info(servedReused);
  }

  /** The TLS parameters of the connection in use, once known (read from any thread). */
  public volatile dev.telltale.SecurityInfo securityInfo;

  /** The response head once HEADERS_AVAILABLE was reported (read from any thread). */
  public volatile ResponseHeaders publishedHeaders;

  // ---------------------------------------------------------------- operations (on the loop)

  /** sendRequest: {@code totalLength} -1 means chunked upload. */
  public void send(Op op, RequestMessage request, ByteBuffer optional, long total) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (!(phase == Phase.IDLE || phase == Phase.COMPLETE || phase == Phase.FAILED || phase == Phase.BODY)
        || sendOp != null || receiveOp != null || dataOp != null || writeOp != null) {
      stateError(op, "sendRequest while a request is in progress on this handle");
      return;
    }
    if (phase == Phase.BODY) {
      abandonConnection(); // a new send on the same handle discards the unread response
    }
    message = request;
    this.body = new RequestBody(optional, total, request.fieldHasToken("Expect", "100-continue"));
    requestSaysClose = request.fieldHasToken("Connection", "close")
        || Boolean.TRUE.equals(core.value(Option.DISABLE_KEEP_ALIVE));
    storedFailure = null;
    head = null;
    headers = null;
    publishedHeaders = null;
    decoder = null;
    closeEventsDue = false;
    redirectsFollowed = 0;
    retried = false;
    sendOp = op;
    telemetry.begin();
    acquireConnection();
  }

  /** writeData. */
  public void write(Op op, ByteBuffer src) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (phase != Phase.BODY_OPEN || writeOp != null) {
      stateError(op, "writeData is valid only after SENDREQUEST_COMPLETE of a request whose body is still due");
      return;
    }
    int n = src.remaining();
    String refusal = body.refuseWrite(n);
    if (refusal != null) {
      fail(op, new HttpException(ErrorCode.INVALID_PARAMETER, refusal));
      return;
    }
    writeOp = op;
    io.write(conn, body.frame(src), () -> {
      body.wrote(n);
      timing.bodyWritten(n);
      if (!body.moreExpected()) {
        phase = Phase.REQUEST_DONE;
      }
      Op done = writeOp;
      writeOp = null;
      complete(done, events.wants(CallbackStatus.WRITE_COMPLETE) ? new StatusEvent.WriteComplete(n) : null, n);
    });
  }

  /** receiveResponse. */
  public void receive(Op op) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (receiveOp != null || headers != null || phase == Phase.IDLE || phase == Phase.FAILED
        || phase == Phase.COMPLETE && head != null) {
      stateError(op, "receiveResponse needs a sent request whose response was not received yet");
      return;
    }
    if (phase == Phase.BODY_OPEN) {
      if (!body.chunked() || writeOp != null) {
        stateError(op, "receiveResponse before the declared request body was written");
        return;
      }
      receiveOp = op;
      phase = Phase.SENDING;
      io.write(conn, new ByteBuffer[] {ChunkedBodyEncoder.lastChunk()}, () -> {
        phase = Phase.REQUEST_DONE;
        startReceive();
      });
      return;
    }
    receiveOp = op;
    if (storedFailure != null) {
      failAll(storedFailure);
    } else if (phase == Phase.REQUEST_DONE) {
      startReceive();
    } // else: sending is still in progress; requestWritten() starts the receive
  }

  /** queryDataAvailable ({@code dst} null) or readData. */
  public void data(Op op, ByteBuffer dst) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (dataOp != null || !(phase == Phase.BODY || phase == Phase.COMPLETE) || headers == null) {
      stateError(op, dst == null
          ? "queryDataAvailable needs the response headers first"
          : "readData needs the response headers first");
      return;
    }
    dataOp = op;
    op.buffer = dst;
    serveData();
  }

  /** Handle close: cancel what is pending, let go of the connection, then HANDLE_CLOSING. */
  public void close() {
    if (phase == Phase.CLOSED) {
      return;
    }
    boolean bodyUnread = phase == Phase.BODY;
    if (telemetry.inProgress()) {
      ended(ErrorCode.OPERATION_CANCELLED.name()); // closed before the request ended
    }
    phase = Phase.CLOSED;
    cancelTimers();
    acquirer.cancel();
    HttpException cancelled = null; // built only when an operation is pending: most closes have none
    for (Op op : new Op[] {sendOp, writeOp, receiveOp, dataOp}) {
      if (op != null) {
        if (cancelled == null) {
          cancelled = new HttpException(ErrorCode.OPERATION_CANCELLED, "the request handle was closed");
        }
        fail(op, cancelled);
      }
    }
    sendOp = writeOp = receiveOp = dataOp = null;
    if (conn != null) {
      Connection c = conn;
      conn = null;
      if (bodyUnread && decoder != null && !decoder.closeDelimited() && head.keepAlive() && !requestSaysClose) {
        new ConnectionDrainer(c, decoder, session.pool(), core.value(Option.MAX_RESPONSE_DRAIN_SIZE),
            core.value(Option.RECEIVE_TIMEOUT)).start(loop);
      } else {
        discard(c);
      }
    }
    core.postClosingWhenChildrenClosed();
  }

  // ---------------------------------------------------------------- connection

  private void acquireConnection() {
    phase = Phase.CONNECTING;
    timing.acquiring(Clock.nanoTime());
    acquirer.acquire(message.origin);
  }

  @Override
  public void onAcquireFailed(HttpException error) {
    failAll(error);
  }

  @Override
  public void onConnection(Connection connection, boolean reused) {
    if (core.isClosed()) {
      // closed inside a callback of this very step (close() is queued behind it): send nothing,
      // and the clean connection goes back to the pool for the next request
      try {
        connection.bindTo(loop, null);
        session.pool().release(connection);
      } catch (IOException e) {
        discard(connection);
      }
      return;
    }
    useConnection(connection, reused);
  }

  private void useConnection(Connection connection, boolean reused) {
    try {
      connection.bindTo(loop, this);
    } catch (IOException e) {
      discard(connection);
      if (reused) {
        acquirer.replace(message.origin); // a pooled connection that cannot be registered is dead
        return;
      }
      failAll(new HttpException(ErrorCode.CONNECTION_ERROR, "cannot use " + connection + ": " + e, e));
      return;
    }
    conn = connection;
    reusedConnection = reused;
    servedReused = reused;
    connection.localAddress(); // read while the socket is open: it stays known after close
    servedBy = connection; // volatile: publishes the connection for connectionInfo()
    securityInfo = connection.transport() instanceof TlsTransport tls ? tls.info() : null;
    responseBytesSeen = false;
    connection.countExchange();
    writeRequest();
  }

  // ---------------------------------------------------------------- sending

  private void writeRequest() {
    phase = Phase.SENDING;
    timing.sending(Clock.nanoTime(), reusedConnection);
    if (events.wants(CallbackStatus.SENDING_REQUEST)) {
      events.emit(StatusEvent.SendingRequest.INSTANCE);
    }
    ByteBuffer headBytes = message.encodeHead(core.session().userAgent(), body.declaredLength(),
        Boolean.TRUE.equals(core.value(Option.DISABLE_KEEP_ALIVE)));
    bytesSent = headBytes.remaining();
    if (body.waitsForContinue()) {
      io.write(conn, new ByteBuffer[] {headBytes}, this::awaitContinue);
      return;
    }
    bytesSent += body.optionalBytes();
    io.write(conn, concat(headBytes, body.optionalPart()), this::requestWritten);
  }

  private static ByteBuffer[] concat(ByteBuffer first, ByteBuffer[] rest) {
    ByteBuffer[] all = new ByteBuffer[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private void awaitContinue() {
    phase = Phase.CONTINUE_WAIT;
    continueDeadline.arm(loop, CONTINUE_WAIT_NANOS, this::sendBodyAfterContinue);
    readHead();
  }

  private void sendBodyAfterContinue() {
    if (phase != Phase.CONTINUE_WAIT) {
      return;
    }
    continueDeadline.cancel();
    conn.interest(0);
    bytesSent += body.optionalBytes();
    phase = Phase.SENDING;
    io.write(conn, body.optionalPart(), this::requestWritten);
  }

  private void requestWritten() {
    timing.sent(Clock.nanoTime(), bytesSent);
    if (events.wants(CallbackStatus.REQUEST_SENT)) {
      events.emit(new StatusEvent.RequestSent(bytesSent));
    }
    phase = body.moreExpected() ? Phase.BODY_OPEN : Phase.REQUEST_DONE;
    if (sendOp != null) {
      Op done = sendOp;
      sendOp = null;
      complete(done, events.wants(CallbackStatus.SENDREQUEST_COMPLETE)
          ? StatusEvent.SendRequestComplete.INSTANCE : null, null);
    }
    if (receiveOp != null && phase == Phase.REQUEST_DONE) {
      startReceive();
    }
  }

  // ---------------------------------------------------------------- receiving the head

  private void startReceive() {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.HEAD_WAIT;
    if (events.wants(CallbackStatus.RECEIVING_RESPONSE)) {
      events.emit(StatusEvent.ReceivingResponse.INSTANCE);
    }
    Duration limit = core.value(Option.RECEIVE_RESPONSE_TIMEOUT);
    if (!responseDeadline.isArmed() && !Timeouts.isInfinite(limit)) {
      responseDeadline.arm(loop, limit.toNanos(), () -> failAll(new HttpException(
          ErrorCode.TIMEOUT, "no response headers within " + limit)));
    }
    if (head != null) {
      // a final response already arrived while waiting for 100-continue
      if (events.wants(CallbackStatus.RESPONSE_RECEIVED)) {
        events.emit(new StatusEvent.ResponseReceived(head.headerBytes()));
      }
      onFinalHead(head);
    } else if (!conn.hasBuffered()) {
      // The request was just written: a read now would almost always come back empty. Waiting
      // for the selector saves that system call per request (level-triggered: bytes or an end
      // of stream already there are reported at once).
      io.awaitReadable(conn, core.value(Option.RECEIVE_TIMEOUT), "waiting for the response headers");
    } else {
      readHead();
    }
  }

  private void readHead() {
    try {
      while (true) {
        if (conn.hasBuffered()) {
          ResponseHead parsed = parser().parseHead(conn.in());
          if (parsed != null) {
            if (onHead(parsed)) {
              continue;
            }
            return;
          }
        }
        int n = conn.fill();
        if (n < 0) {
          onEndOfStreamBeforeHead();
          return;
        }
        if (n == 0) {
          io.awaitReadable(conn, core.value(Option.RECEIVE_TIMEOUT), "waiting for the response headers");
          return;
        }
        responseBytesSeen = true;
      }
    } catch (ProtocolViolation e) {
      failAll(Errors.fromViolation(e));
    } catch (IOException e) {
      onConnectionFailure(e);
    }
  }

  /** Returns true if more heads are expected (an interim response). */
  private boolean onHead(ResponseHead parsed) {
    boolean finalBeforeContinue = phase == Phase.CONTINUE_WAIT && !parsed.isInterim();
    if (!finalBeforeContinue && events.wants(CallbackStatus.RESPONSE_RECEIVED)) {
      // a final answer to an Expect: 100-continue is reported by receiveResponse, in its cycle
      events.emit(new StatusEvent.ResponseReceived(parsed.headerBytes()));
    }
    if (parsed.isInterim() && parsed.statusCode() != 101) {
      timing.headReceived(Clock.nanoTime(), parsed.headerBytes(), false);
      if (events.wants(CallbackStatus.INTERMEDIATE_RESPONSE)) {
        events.emit(new StatusEvent.IntermediateResponse(parsed.statusCode()));
      }
      parser().reset();
      if (phase == Phase.CONTINUE_WAIT && parsed.statusCode() == 100) {
        sendBodyAfterContinue();
        return false;
      }
      return true;
    }
    if (phase == Phase.CONTINUE_WAIT) {
      // A final answer before the body: the body is not sent and the connection cannot be reused.
      continueDeadline.cancel();
      conn.interest(0);
      head = parsed;
      body.withhold();
      requestWritten();
      return false;
    }
    onFinalHead(parsed);
    return false;
  }

  private void onFinalHead(ResponseHead parsed) {
    head = parsed;
    timing.headReceived(Clock.nanoTime(), parsed.headerBytes(), true);
    try {
      decoder = Http1Framing.decoderFor(message.method, parsed);
    } catch (ProtocolViolation e) {
      failAll(Errors.fromViolation(e));
      return;
    }
    Redirects.Decision decision = Redirects.decide(message, parsed.statusCode(),
        parsed.firstValue("Location"), core.value(Option.REDIRECT_POLICY), redirectsFollowed,
        core.value(Option.MAX_HTTP_AUTOMATIC_REDIRECTS), body.declaredLength() != 0,
        !body.streamed());
    if (decision instanceof Redirects.Follow follow) {
      followRedirect(follow);
    } else if (decision instanceof Redirects.Refuse refuse) {
      failAll(new HttpException(ErrorCode.REDIRECT_FAILED, refuse.reason()));
    } else {
      deliverHeaders();
    }
  }

  private void followRedirect(Redirects.Follow follow) {
    if (events.wants(CallbackStatus.REDIRECT)) {
      events.emit(new StatusEvent.Redirect(follow.location()));
    }
    redirectsFollowed++;
    timing.redirected();
    discardRedirectBody();
    // the new origin keeps this request's TLS settings, also when the redirect goes http -> https
    Origin next = follow.origin()
        .withSecurityFlags(SecurityFlag.mask(core.value(Option.SECURITY_FLAGS)))
        .withProtocols(session.secureProtocols());
    message = message.redirected(follow.method(), next, follow.target(), follow.dropBody());
    if (follow.dropBody()) {
      body = RequestBody.none();
    }
    head = null;
    decoder = null;
    parser().reset();
    retried = false;
    acquireConnection();
  }

  /** The 3xx body is not wanted: keep the connection if the body is already here, else close it. */
  private void discardRedirectBody() {
    Connection c = conn;
    conn = null;
    try {
      BodyPump.skipBuffered(decoder, c.in());
    } catch (ProtocolViolation e) {
      discard(c);
      return;
    }
    if (decoder.isComplete() && head.keepAlive() && !requestSaysClose && !c.hasBuffered()) {
      session.pool().release(c);
    } else {
      discard(c);
    }
  }

  private void deliverHeaders() {
    responseDeadline.cancel();
    headers = Errors.toPublic(head);
    publishedHeaders = headers;
    phase = Phase.BODY;
    if (decoder.isComplete()) {
      finishBody();
    }
    Op done = receiveOp;
    receiveOp = null;
    ResponseHeaders result = headers;
    complete(done, events.wants(CallbackStatus.HEADERS_AVAILABLE)
        ? StatusEvent.HeadersAvailable.INSTANCE : null, result);
  }

  private void onEndOfStreamBeforeHead() {
    onConnectionFailure(new IOException("the server closed the connection before a response"));
  }

  /** Reset, EOF or write failure: retry once on a fresh connection if that is safe, else fail. */
  void onConnectionFailure(IOException e) {
    boolean safeToRetry = reusedConnection && !responseBytesSeen && !retried && message.idempotent()
        && !body.streamed() && (phase == Phase.SENDING || phase == Phase.HEAD_WAIT);
    Connection dead = conn;
    conn = null;
    if (dead != null) {
      discard(dead);
    }
    if (safeToRetry) {
      retried = true;
      parser().reset();
      phase = Phase.CONNECTING;
      acquirer.replace(message.origin);
      return;
    }
    failAll(Errors.fromIo(e, dead, message.origin, session.tls()));
  }



  // ---------------------------------------------------------------- the body

  private void serveData() {
    try {
      int n = decoder.isComplete() ? 0 : BodyPump.pump(decoder, conn, dataOp.buffer);
      if (n == BodyPump.NEED_INPUT) {
        io.awaitReadable(conn, core.value(Option.RECEIVE_TIMEOUT), "waiting for the response body");
        return;
      }
      if (n > 0 && dataOp.buffer != null) {
        timing.bodyBytes(n);
      }
      if (decoder.isComplete() && phase == Phase.BODY) {
        finishBody();
      }
      completeData(n);
    } catch (ProtocolViolation e) {
      failAll(Errors.fromViolation(e));
    } catch (IOException e) {
      Connection c = conn;
      failAll(Errors.fromIo(e, c, message.origin, session.tls()));
    }
  }

  private void completeData(int n) {
    Op done = dataOp;
    dataOp = null;
    if (n == 0 || phase == Phase.COMPLETE) {
      emitCloseEventsIfDue();
    }
    if (done.buffer == null) {
      complete(done, events.wants(CallbackStatus.DATA_AVAILABLE) ? new StatusEvent.DataAvailable(n) : null, n);
    } else {
      complete(done, events.wants(CallbackStatus.READ_COMPLETE)
          ? new StatusEvent.ReadComplete(done.buffer, n) : null, n);
    }
  }

  /** The body is complete: pool the connection now (rule 16), or close it. */
  private void finishBody() {
    phase = Phase.COMPLETE;
    ended(null);
    Connection c = conn;
    conn = null;
    if (c == null) {
      return;
    }
    if (head.statusCode() == 101) {
      discard(c); // an upgraded connection never returns to the pool (rule 18)
      return;
    }
    boolean serverCloses = head.connectionClose() || decoder.closeDelimited();
    if (!serverCloses && !requestSaysClose && !body.withheld() && !c.hasBuffered()) {
      session.pool().release(c);
      return;
    }
    closeEventsDue = head.connectionClose() || requestSaysClose;
    discard(c);
  }

  private void emitCloseEventsIfDue() {
    if (!closeEventsDue) {
      return;
    }
    closeEventsDue = false;
    if (events.wants(CallbackStatus.CLOSING_CONNECTION)) {
      events.emit(StatusEvent.ClosingConnection.INSTANCE);
    }
    if (events.wants(CallbackStatus.CONNECTION_CLOSED)) {
      events.emit(StatusEvent.ConnectionClosed.INSTANCE);
    }
  }

  // ---------------------------------------------------------------- I/O readiness

  @Override
  public void onReady(Connection connection, int readyOps) {
    io.onReady(connection, readyOps);
  }

  /** The socket became readable while this exchange waited for it. */
  void onReadable() {
    switch (phase) {
      case HEAD_WAIT, CONTINUE_WAIT -> readHead();
      case BODY -> {
        if (dataOp != null) {
          serveData();
        }
      }
      default -> conn.interest(0);
    }
  }

  Duration timeout(Option<Duration> option) {
    return core.value(option);
  }

  /** A read or write waited longer than its timeout. */
  void onIoTimeout(String what, Duration limit) {
    failAll(ExchangeIo.timeoutError(what, limit));
  }

  // ---------------------------------------------------------------- completion helpers

  private void complete(Op op, StatusEvent event, Object value) {
    op.complete(events, event, value);
  }

  private void fail(Op op, HttpException error) {
    op.fail(events, error);
  }

  /**
   * An operation that reached the loop after the handle closed: its future fails, silently, since
   * no notification may follow HANDLE_CLOSING.
   */
  private static void cancelledByClose(Op op) {
    op.future().completeExceptionally(
        new HttpException(ErrorCode.OPERATION_CANCELLED, "the request handle was closed"));
  }

  private void stateError(Op op, String why) {
    op.fail(events, new HttpException(ErrorCode.INCORRECT_HANDLE_STATE, why));
  }

  /** Fails every pending operation with {@code error}; with none pending, the next one gets it. */
  private void failAll(HttpException error) {
    if (phase == Phase.CLOSED) {
      return;
    }
    cancelTimers();
    acquirer.cancel();
    if (conn != null) {
      Connection c = conn;
      conn = null;
      discard(c);
    }
    phase = Phase.FAILED;
    ended(error.code().name());
    List<Op> pending = new ArrayList<>(4);
    for (Op op : new Op[] {sendOp, writeOp, receiveOp, dataOp}) {
      if (op != null) {
        pending.add(op);
      }
    }
    sendOp = writeOp = receiveOp = dataOp = null;
    if (pending.isEmpty()) {
      storedFailure = error;
      phase = Phase.REQUEST_DONE; // the next receiveResponse reports the failure
      return;
    }
    storedFailure = null;
    for (Op op : pending) {
      fail(op, error);
    }
  }

  private void discard(Connection c) {
    session.pool().discard(c);
  }

  /** Closes the connection of a response the application no longer reads. */
  private void abandonConnection() {
    if (conn != null) {
      Connection c = conn;
      conn = null;
      discard(c);
    }
  }

  private Http1ResponseParser parser() {
    if (parser == null) {
      parser = new Http1ResponseParser(core.value(Option.MAX_RESPONSE_HEADER_SIZE),
          Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT);
    }
    return parser;
  }

  private void cancelTimers() {
    responseDeadline.cancel();
    continueDeadline.cancel();
    io.cancelDeadline();
  }

  /** The request has ended (body complete, or failed): its timings are final. */
  private void ended(String error) {
    telemetry.end(message, head == null ? 0 : head.statusCode(), error);
  }

  /** The timings so far, or the final ones; from any thread. */
  public RequestTimings timings() {
    return telemetry.timings(loop);
  }

  /** Whether the connection serving the last exchange came from the pool. */
  public boolean reusedConnection() {
    return reusedConnection;
  }

}
