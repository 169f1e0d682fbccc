package dev.telltale.internal;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.ConnectionInfo;
import dev.telltale.CallbackStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.RequestTimings;
import dev.telltale.internal.util.Clock;
import dev.telltale.Option;
import dev.telltale.ResponseHeaders;
import dev.telltale.StatusEvent;
import dev.telltale.internal.proxy.ProxyHop;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ChunkedBodyEncoder;
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
 * <p>This class is the state machine: the phase, the operations' checks, the connection and its
 * failures, close. The two sides of the exchange are roles of their own, on the same loop:
 * {@link RequestWriter} (the request on the wire, and what a final head means for it: redirect,
 * auth retry) and {@link ResponseReader} (heads, the body, receiveResponse and the body
 * operations); they move the phase and the connection through the package-private hooks here.
 *
 * <p>Operations are {@link Op}s: each completes exactly once, with its completion notification
 * first and its future second (both through the request's {@link CallbackDispatcher}).
 */
public final class Exchange implements Connection.User, ConnectionAcquirer.Client {
  /** Where the request is; the two sides move it through theirs with {@link #enter}. */
  enum Phase {
    IDLE, CONNECTING, SENDING, CONTINUE_WAIT, BODY_OPEN, REQUEST_DONE, HEAD_WAIT, BODY, COMPLETE, FAILED, CLOSED
  }

  private final HandleCore core;
  private final CallbackDispatcher events;
  private final SessionCore session;
  private final EventLoop loop;
  private final ExchangeIo io;

  private Phase phase = Phase.IDLE;

  private Op sendOp;
  private Op writeOp;
  private HttpException storedFailure;

  private Connection conn;
  private final ConnectionAcquirer acquirer;
  private boolean reusedConnection;
  private boolean retried;
  private final ResponseReader response;
  private final RequestWriter request;
  private final ExchangeFeatures features;
  private final RequestTelemetry telemetry = new RequestTelemetry();
  private final TimingRecorder timing = telemetry.timing;

  public Exchange(HandleCore core, EventLoop loop) {
    this.core = core;
    this.events = core.dispatcher();
    this.session = core.session();
    this.loop = loop;
    this.io = new ExchangeIo(this);
    this.acquirer = new ConnectionAcquirer(loop, core, this, timing);
    this.features = new ExchangeFeatures(core);
    this.response = new ResponseReader(this, core, io, timing, features);
    this.request = new RequestWriter(this, core, loop, io, timing, features, response);
  }

  /** {@code Request.setCredentials}, on the loop: applies from the next attempt on. */
  public void setCredentials(AuthTarget target, AuthScheme scheme, String user, String password) {
    features.auth().setCredentials(target, scheme, user, password);
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
  public void send(Op op, RequestMessage message, ByteBuffer optional, long total) {
    send(op, message, optional, total, null);
  }

  /** sendRequest, as a websocket upgrade when {@code upgrade} is not null. */
  public void send(Op op, RequestMessage message, ByteBuffer optional, long total,
      WsUpgradeOffer upgrade) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (!(phase == Phase.IDLE || phase == Phase.COMPLETE || phase == Phase.FAILED || phase == Phase.BODY)
        || sendOp != null || response.busy() || writeOp != null) {
      stateError(op, "sendRequest while a request is in progress on this handle");
      return;
    }
    if (phase == Phase.BODY) {
      abandonConnection(); // a new send on the same handle discards the unread response
    }
    response.releaseUpgrade(); // a new send on the same handle gives up a websocket not taken
    request.begin(message, optional, total);
    storedFailure = null;
    publishedHeaders = null;
    response.reset(upgrade);
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
    String refusal = request.body().refuseWrite(n);
    if (refusal != null) {
      fail(op, new HttpException(ErrorCode.INVALID_PARAMETER, refusal));
      return;
    }
    writeOp = op;
    io.write(conn, request.body().frame(src), () -> {
      RequestBody body = request.body();
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
    if (response.receivePending() || response.headersDelivered() || phase == Phase.IDLE || phase == Phase.FAILED
        || phase == Phase.COMPLETE && response.head() != null) {
      stateError(op, "receiveResponse needs a sent request whose response was not received yet");
      return;
    }
    if (phase == Phase.BODY_OPEN) {
      if (!request.body().chunked() || writeOp != null) {
        stateError(op, "receiveResponse before the declared request body was written");
        return;
      }
      response.expect(op);
      phase = Phase.SENDING;
      io.write(conn, new ByteBuffer[] {ChunkedBodyEncoder.lastChunk()}, () -> {
        phase = Phase.REQUEST_DONE;
        response.startReceive();
      });
      return;
    }
    response.expect(op);
    if (storedFailure != null) {
      failAll(storedFailure);
    } else if (phase == Phase.REQUEST_DONE) {
      response.startReceive();
    } // else: sending is still in progress; requestWritten() starts the receive
  }

  /** queryDataAvailable ({@code dst} null) or readData. */
  public void data(Op op, ByteBuffer dst) {
    if (phase == Phase.CLOSED) {
      cancelledByClose(op); // the handle closed between the call's check and this task
      return;
    }
    if (response.dataPending() || !(phase == Phase.BODY || phase == Phase.COMPLETE) || !response.headersDelivered()) {
      stateError(op, dst == null
          ? "queryDataAvailable needs the response headers first"
          : "readData needs the response headers first");
      return;
    }
    response.serve(op, dst);
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
    response.releaseDecoding();
    cancelTimers();
    acquirer.cancel();
    // the error is built only when an operation is pending: most closes have none
    HttpException cancelled = cancel(sendOp, null);
    cancelled = cancel(writeOp, cancelled);
    cancelled = cancel(response.takeReceiveOp(), cancelled);
    cancel(response.takeDataOp(), cancelled);
    sendOp = writeOp = null;
    response.releaseUpgrade();
    if (conn != null) {
      Connection c = conn;
      conn = null;
      BodyDecoder rest = bodyUnread ? response.drainable(request.saysClose()) : null;
      if (rest != null) {
        new ConnectionDrainer(c, rest, session.pool(), core.value(Option.MAX_RESPONSE_DRAIN_SIZE),
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
    acquirer.acquire(request.message().origin);
  }

  @Override
  public ProxyHop credentialed(ProxyHop hop) {
    return features.credentialed(hop);
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
        acquirer.replace(request.message().origin); // a pooled connection that cannot be registered is dead
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
    response.newConnection();
    connection.countExchange();
    request.writeRequest(reused);
  }

  // ---------------------------------------------------------------- hooks for the two sides

  /** Whether the head is awaited before the body, which an interim 100 Continue releases. */
  boolean awaitingContinue() {
    return phase == Phase.CONTINUE_WAIT;
  }

  void enter(Phase next) {
    phase = next;
  }

  Phase phase() {
    return phase;
  }

  RequestWriter request() {
    return request;
  }

  /** The connection in use, or null. */
  Connection connection() {
    return conn;
  }

  /** The connection in use, or null, which the exchange no longer holds. */
  Connection takeConnection() {
    Connection c = conn;
    conn = null;
    return c;
  }

  /** The request is on the wire (its body too, unless writeData sends it). */
  void requestWritten() {
    timing.sent(Clock.nanoTime(), request.bytesSent());
    if (events.wants(CallbackStatus.REQUEST_SENT)) {
      events.emit(new StatusEvent.RequestSent(request.bytesSent()));
    }
    phase = request.body().moreExpected() ? Phase.BODY_OPEN : Phase.REQUEST_DONE;
    if (sendOp != null) {
      Op done = sendOp;
      sendOp = null;
      complete(done, events.wants(CallbackStatus.SENDREQUEST_COMPLETE)
          ? StatusEvent.SendRequestComplete.INSTANCE : null, null);
    }
    if (response.receivePending() && phase == Phase.REQUEST_DONE) {
      response.startReceive();
    }
  }

  /** Drops the response just received and sends the request again (redirect, auth retry). */
  void sendAgain() {
    discardRedirectBody();
    response.nextAttempt();
    retried = false;
    acquireConnection();
  }

  /** The 3xx (or answered 401/407) body is not wanted: keep the connection if the body is already here, else close it. */
  private void discardRedirectBody() {
    Connection c = conn;
    conn = null;
    if (response.skipUnwanted(c, request.saysClose(), request.body().withheld())) {
      session.pool().release(c);
    } else {
      discard(c);
    }
  }

  /** Reset, EOF or write failure: retry once on a fresh connection if that is safe, else fail. */
  void onConnectionFailure(IOException e) {
    boolean safeToRetry = reusedConnection && !response.bytesSeen() && !retried
        && request.message().idempotent()
        && !request.body().streamed() && (phase == Phase.SENDING || phase == Phase.HEAD_WAIT);
    Connection dead = conn;
    conn = null;
    if (dead != null) {
      discard(dead);
    }
    if (safeToRetry) {
      retried = true;
      response.resetParser();
      phase = Phase.CONNECTING;
      acquirer.replace(request.message().origin);
      return;
    }
    failAll(Errors.fromIo(e, dead, request.message().origin, session.tls()));
  }

  // ---------------------------------------------------------------- I/O readiness

  @Override
  public void onReady(Connection connection, int readyOps) {
    io.onReady(connection, readyOps);
  }

  /** The socket became readable while this exchange waited for it. */
  void onReadable() {
    switch (phase) {
      case HEAD_WAIT, CONTINUE_WAIT -> response.readHead();
      case BODY -> response.bodyReadable();
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
  void failAll(HttpException error) {
    if (phase == Phase.CLOSED) {
      return;
    }
    cancelTimers();
    acquirer.cancel();
    response.releaseDecoding();
    abandonConnection();
    phase = Phase.FAILED;
    ended(error.code().name());
    List<Op> pending = new ArrayList<>(4);
    for (Op op : new Op[] {sendOp, writeOp, response.takeReceiveOp(), response.takeDataOp()}) {
      if (op != null) {
        pending.add(op);
      }
    }
    sendOp = writeOp = null;
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

  /**
   * completeUpgrade, from any thread: the upgraded connection, once; null if there is none (no
   * verified 101, or it was taken or released already).
   */
  public WebSocketHandover takeUpgrade() {
    return response.takeUpgrade();
  }

  /** Closes the connection in use: a response the application no longer reads, or a failure. */
  private void abandonConnection() {
    if (conn != null) {
      Connection c = conn;
      conn = null;
      discard(c);
    }
  }

  private void cancelTimers() {
    response.cancelDeadline();
    request.cancelContinueWait();
    io.cancelDeadline();
  }

  /** The request has ended (body complete, or failed): its timings are final. */
  void ended(String error) {
    telemetry.end(request.message(), response.statusCode(), error);
  }

  /** The timings so far, or the final ones; from any thread. */
  public RequestTimings timings() {
    return telemetry.timings(loop);
  }

  /** Whether the connection serving the last exchange came from the pool. */
  public boolean reusedConnection() {
    return reusedConnection;
  }


  /** Fails {@code op} (if pending) as cancelled by close; returns the error, made on first need. */
  private HttpException cancel(Op op, HttpException cancelled) {
    if (op == null) {
      return cancelled;
    }
    HttpException error = cancelled != null ? cancelled
        : new HttpException(ErrorCode.OPERATION_CANCELLED, "the request handle was closed");
    fail(op, error);
    return error;
  }
}
