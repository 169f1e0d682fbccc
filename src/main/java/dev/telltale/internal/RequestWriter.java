package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.SecurityFlag;
import dev.telltale.StatusEvent;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.proxy.RefusedConnect;
import dev.telltale.internal.util.Clock;
import java.nio.ByteBuffer;

/**
 * The request side of an {@link Exchange}: the request being sent and its body, each attempt's
 * head and optional body on the wire, the wait for 100 Continue before an
 * {@code Expect: 100-continue} body, and what a final head means for the request: sent again
 * with credentials, rewritten by a redirect and sent again, refused, or delivered. The exchange
 * keeps the phase, the operations and the connection; this class moves the phase only through
 * the exchange and hands back to it once the request is written. Every method runs on the
 * request's loop, like the exchange.
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

  // ---------------------------------------------------------------- the final head

  /** A final head arrived: answer a challenge, follow a redirect, refuse one, or deliver the head. */
  void onFinalHead(ResponseHead parsed) {
    try {
      response.frame(message.method, parsed);
    } catch (ProtocolViolation e) {
      exchange.failAll(Errors.fromViolation(e));
      return;
    }
    if (features.onFinalHead(message, exchange.connection().origin(), parsed, !body.streamed())) {
      exchange.sendAgain(); // a challenge the request's credentials answer: once, on a clean connection
      return;
    }
    Redirects.Decision decision = Redirects.decide(message, parsed.statusCode(),
        parsed.firstValue("Location"), core.value(Option.REDIRECT_POLICY), redirectsFollowed,
        core.value(Option.MAX_HTTP_AUTOMATIC_REDIRECTS), body.declaredLength() != 0,
        !body.streamed());
    if (decision instanceof Redirects.Follow follow) {
      followRedirect(follow);
    } else if (decision instanceof Redirects.Refuse refuse) {
      exchange.failAll(new HttpException(ErrorCode.REDIRECT_FAILED, refuse.reason()));
    } else {
      response.deliverHeaders();
    }
  }

  private void followRedirect(Redirects.Follow follow) {
    if (events.wants(CallbackStatus.REDIRECT)) {
      events.emit(new StatusEvent.Redirect(follow.location()));
    }
    redirectsFollowed++;
    timing.redirected();
    // the new origin keeps this request's TLS settings, also when the redirect goes http -> https
    Origin next = follow.origin()
        .withSecurityFlags(SecurityFlag.mask(core.value(Option.SECURITY_FLAGS)))
        .withProtocols(core.session().secureProtocols());
    message = message.redirected(follow.method(), next, follow.target(), follow.dropBody());
    if (follow.dropBody()) {
      body = RequestBody.none();
    }
    exchange.sendAgain();
  }
}
