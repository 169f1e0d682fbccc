package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.Option;
import dev.telltale.StatusEvent;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.proxy.RefusedConnect;
import dev.telltale.internal.util.Clock;
import java.nio.ByteBuffer;

/**
 * The request side of an {@link Exchange}: the request being sent (rewritten by each redirect
 * followed) and its body, each attempt's head and optional body on the wire, and the wait for
 * 100 Continue before an {@code Expect: 100-continue} body. The exchange keeps the phase, the
 * operations and the connection; this class moves the phase only through the exchange and hands
 * back to it once the request is written. Every method runs on the request's loop, like the
 * exchange.
 */
final class RequestWriter {
  /** How long a body waits for 100 Continue before it is sent anyway. */
  private static final long CONTINUE_WAIT_NANOS = 1_000_000_000L;

  private final Exchange exchange;
  private final HandleCore core;
  private final CallbackDispatcher events;
  private final EventLoop loop;
  private final ExchangeIo io;
  private final TimingRecorder timing;
  private final ExchangeFeatures features;
  private final ResponseReader response;
  private final TimerSlot continueDeadline = new TimerSlot();

  private RequestMessage message;
  private RequestBody body = RequestBody.none();
  private boolean saysClose;
  private long bytesSent;
  private int redirectsFollowed;

  RequestWriter(Exchange exchange, HandleCore core, EventLoop loop, ExchangeIo io,
      TimingRecorder timing, ExchangeFeatures features, ResponseReader response) {
    this.exchange = exchange;
    this.core = core;
    this.events = core.dispatcher();
    this.loop = loop;
    this.io = io;
    this.timing = timing;
    this.features = features;
    this.response = response;
  }

  /** A new sendRequest of {@code request}: {@code total} -1 means a chunked upload. */
  void begin(RequestMessage request, ByteBuffer optional, long total) {
    message = request;
    features.beginSend(request);
    this.body = new RequestBody(optional, total, request.fieldHasToken("Expect", "100-continue"));
    saysClose = request.fieldHasToken("Connection", "close")
        || Boolean.TRUE.equals(core.value(Option.DISABLE_KEEP_ALIVE));
    redirectsFollowed = 0;
  }

  /** The request as it stands: the application's, or where the redirects followed led it. */
  RequestMessage message() {
    return message;
  }

  RequestBody body() {
    return body;
  }

  /** Whether the request asked for the connection to close (or keep-alive is off). */
  boolean saysClose() {
    return saysClose;
  }

  int redirectsFollowed() {
    return redirectsFollowed;
  }

  /** The request follows {@code follow} to {@code next}. */
  void redirect(Redirects.Follow follow, Origin next) {
    redirectsFollowed++;
    message = message.redirected(follow.method(), next, follow.target(), follow.dropBody());
    if (follow.dropBody()) {
      body = RequestBody.none();
    }
  }

  /** The bytes of the attempt's request on the wire: head, and the optional body once sent. */
  long bytesSent() {
    return bytesSent;
  }

  /** Writes the head (and the optional body, unless it waits for 100 Continue) on {@code reused}'s connection. */
  void writeRequest(boolean reused) {
    exchange.enter(Exchange.Phase.SENDING);
    timing.sending(Clock.nanoTime(), reused);
    if (events.wants(CallbackStatus.SENDING_REQUEST)) {
      events.emit(StatusEvent.SendingRequest.INSTANCE);
    }
    Connection conn = exchange.connection();
    RefusedConnect refusal = conn.takeRefusedConnect();
    if (refusal != null) {
      // the proxy refused the tunnel with a 407: only the CONNECT went out, and its answer is this
      // request's response (as in WinHTTP); the body is withheld and the connection not reused
      response.earlyAnswer(refusal.head());
      body.withhold();
      bytesSent = refusal.requestBytes();
      exchange.requestWritten();
      return;
    }
    ByteBuffer headBytes = features.forWire(message, conn.origin()).encodeHead(core.session().userAgent(),
        body.declaredLength(), Boolean.TRUE.equals(core.value(Option.DISABLE_KEEP_ALIVE)), conn.origin());
    bytesSent = headBytes.remaining();
    if (body.waitsForContinue()) {
      io.write(conn, new ByteBuffer[] {headBytes}, this::awaitContinue);
      return;
    }
    bytesSent += body.optionalBytes();
    io.write(conn, concat(headBytes, body.optionalPart()), exchange::requestWritten);
  }

  private static ByteBuffer[] concat(ByteBuffer first, ByteBuffer[] rest) {
    ByteBuffer[] all = new ByteBuffer[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private void awaitContinue() {
    exchange.enter(Exchange.Phase.CONTINUE_WAIT);
    continueDeadline.arm(loop, CONTINUE_WAIT_NANOS, this::sendBodyAfterContinue);
    response.readHead();
  }

  /** 100 Continue came, or the wait for it ended: the body goes out. */
  void sendBodyAfterContinue() {
    if (!exchange.awaitingContinue()) {
      return;
    }
    continueDeadline.cancel();
    Connection conn = exchange.connection();
    conn.interest(0);
    bytesSent += body.optionalBytes();
    exchange.enter(Exchange.Phase.SENDING);
    io.write(conn, body.optionalPart(), exchange::requestWritten);
  }

  /** A final answer before the body: the body is not sent and the connection cannot be reused. */
  void answeredBeforeContinue() {
    continueDeadline.cancel();
    exchange.connection().interest(0);
    body.withhold();
    exchange.requestWritten();
  }

  void cancelContinueWait() {
    continueDeadline.cancel();
  }
}
