package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.ResponseHeaders;
import dev.telltale.StatusEvent;
import dev.telltale.Timeouts;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.Http1Framing;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.util.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The response side of an {@link Exchange}: receiveResponse and the body operations
 * (queryDataAvailable, readData). Reads heads off the connection (reporting and consuming interim
 * 1xx answers, among them the 100 Continue an upload waits for), delivers the final head, frames
 * its body and undoes its content coding, and gives the connection back (to the pool, or to a
 * websocket after a verified 101) the moment the body is complete. Owns the parser, the head, the
 * body's decoders, the two response operations and the deadline for the head; the exchange keeps
 * the phase and the connection, and the request side decides what a final head leads to
 * (redirect, auth retry). Every method runs on the request's loop, like the exchange, except
 * {@link #takeUpgrade}.
 */
final class ResponseReader {
  private final Exchange exchange;
  private final HandleCore core;
  private final CallbackDispatcher events;
  private final TimingRecorder timing;
  private final ExchangeIo io;
  private final ExchangeFeatures features;
  private final TimerSlot responseDeadline = new TimerSlot();

  /** receiveResponse, until the final head is delivered. */
  private Op receiveOp;
  /** queryDataAvailable or readData, until it has its bytes. */
  private Op dataOp;
  /** The websocket upgrade this send asked for, or null. */
  private WsUpgradeOffer upgradeOffer;
  /** A verified 101's connection, until completeUpgrade takes it or the request lets it go. */
  private final AtomicReference<WebSocketHandover> upgraded = new AtomicReference<>();
  private Http1ResponseParser parser;
  /** The final head, or a final answer that came before the request was wholly sent; else null. */
  private ResponseHead head;
  /** The public form of {@link #head}, once receiveResponse delivered it. */
  private ResponseHeaders headers;
  private BodyDecoder decoder;
  /** Decodes a content-coded body (Option.DECOMPRESSION); null when it is delivered as received. */
  private DecodingPump decoding;
  private boolean closeEventsDue;
  /** Whether the current connection sent any byte of a response (a retry is no longer safe). */
  private boolean bytesSeen;

  ResponseReader(Exchange exchange, HandleCore core, ExchangeIo io, TimingRecorder timing,
      ExchangeFeatures features) {
    this.exchange = exchange;
    this.core = core;
    this.events = core.dispatcher();
    this.io = io;
    this.timing = timing;
    this.features = features;
  }

  /**
   * A new sendRequest (a websocket upgrade when {@code upgrade} is not null): nothing of the
   * previous response is kept.
   */
  void reset(WsUpgradeOffer upgrade) {
    upgradeOffer = upgrade;
    head = null;
    headers = null;
    decoder = null;
    releaseDecoding();
    closeEventsDue = false;
  }

  /** The request goes out again (redirect, auth retry): the response just received is dropped. */
  void nextAttempt() {
    head = null;
    decoder = null;
    parser().reset();
  }

  /** A connection failed before a response: parsing starts over on the next one. */
  void resetParser() {
    parser().reset();
  }

  /** A connection was just bound to the exchange. */
  void newConnection() {
    bytesSeen = false;
  }

  boolean bytesSeen() {
    return bytesSeen;
  }

  ResponseHead head() {
    return head;
  }

  /** Whether receiveResponse or a body operation is pending. */
  boolean busy() {
    return receiveOp != null || dataOp != null;
  }

  boolean receivePending() {
    return receiveOp != null;
  }

  boolean dataPending() {
    return dataOp != null;
  }

  /** The pending receiveResponse, taken to fail it (or null). */
  Op takeReceiveOp() {
    Op op = receiveOp;
    receiveOp = null;
    return op;
  }

  /** The pending body operation, taken to fail it (or null). */
  Op takeDataOp() {
    Op op = dataOp;
    dataOp = null;
    return op;
  }

  void cancelDeadline() {
    responseDeadline.cancel();
  }

  /** The status code of the final head, 0 before there is one (for the request's timings). */
  int statusCode() {
    return head == null ? 0 : head.statusCode();
  }

  boolean headersDelivered() {
    return headers != null;
  }

  /**
   * A final answer that came before the request was wholly sent (a proxy's 407 to the CONNECT, or
   * a final status while waiting for 100 Continue): receiveResponse delivers it.
   */
  void earlyAnswer(ResponseHead answer) {
    head = answer;
  }

  // ---------------------------------------------------------------- heads

  /** receiveResponse: it completes once the request is written and the final head is read. */
  void expect(Op op) {
    receiveOp = op;
  }

  /** The request is written and receiveResponse called: the head is awaited. */
  void startReceive() {
    if (exchange.phase() == Exchange.Phase.CLOSED) {
      return;
    }
    exchange.enter(Exchange.Phase.HEAD_WAIT);
    if (events.wants(CallbackStatus.RECEIVING_RESPONSE)) {
      events.emit(StatusEvent.ReceivingResponse.INSTANCE);
    }
    Duration limit = core.value(Option.RECEIVE_RESPONSE_TIMEOUT);
    if (!responseDeadline.isArmed() && !Timeouts.isInfinite(limit)) {
      responseDeadline.arm(exchange.loop(), limit.toNanos(), () -> exchange.failAll(new HttpException(
          ErrorCode.TIMEOUT, "no response headers within " + limit)));
    }
    if (head != null) {
      // a final response already arrived while waiting for 100-continue
      if (events.wants(CallbackStatus.RESPONSE_RECEIVED)) {
        events.emit(new StatusEvent.ResponseReceived(head.headerBytes()));
      }
      exchange.request().onFinalHead(head);
    } else if (!exchange.connection().hasBuffered()) {
      // The request was just written: a read now would almost always come back empty. Waiting
      // for the selector saves that system call per request (level-triggered: bytes or an end
      // of stream already there are reported at once).
      io.awaitReadable(exchange.connection(), core.value(Option.RECEIVE_TIMEOUT),
          "waiting for the response headers");
    } else {
      readHead();
    }
  }

  /** Reads heads until a final one, or until the socket has nothing more for now. */
  void readHead() {
    try {
      while (true) {
        Connection conn = exchange.connection();
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
          exchange.onConnectionFailure(new IOException("the server closed the connection before a response"));
          return;
        }
        if (n == 0) {
          io.awaitReadable(conn, core.value(Option.RECEIVE_TIMEOUT), "waiting for the response headers");
          return;
        }
        bytesSeen = true;
      }
    } catch (ProtocolViolation e) {
      exchange.failAll(Errors.fromViolation(e));
    } catch (IOException e) {
      exchange.onConnectionFailure(e);
    }
  }

  /** Returns true if more heads are expected (an interim response). */
  private boolean onHead(ResponseHead parsed) {
    boolean finalBeforeContinue = exchange.awaitingContinue() && !parsed.isInterim();
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
      if (exchange.awaitingContinue() && parsed.statusCode() == 100) {
        exchange.request().sendBodyAfterContinue();
        return false;
      }
      return true;
    }
    if (exchange.awaitingContinue()) {
      head = parsed;
      exchange.request().answeredBeforeContinue();
      return false;
    }
    exchange.request().onFinalHead(parsed);
    return false;
  }

  /** The final head of {@code method}'s response: the framing of its body. */
  void frame(String method, ResponseHead parsed) throws ProtocolViolation {
    head = parsed;
    timing.headReceived(Clock.nanoTime(), parsed.headerBytes(), true);
    decoder = Http1Framing.decoderFor(method, parsed);
  }

  /** The final head is the response: receiveResponse completes and the body phase starts. */
  void deliverHeaders() {
    if (head.statusCode() == 101 && upgradeOffer != null) {
      String problem = upgradeOffer.verify(head);
      if (problem != null) {
        exchange.failAll(new HttpException(ErrorCode.INVALID_SERVER_RESPONSE, problem)); // rule 24
        return;
      }
    }
    responseDeadline.cancel();
    headers = Errors.toPublic(head);
    exchange.publishedHeaders = headers;
    exchange.enter(Exchange.Phase.BODY);
    decoding = features.decoding(head, decoder);
    if (bodyComplete()) {
      finishBody();
    }
    Op done = receiveOp;
    receiveOp = null;
    ResponseHeaders result = headers;
    done.complete(events, events.wants(CallbackStatus.HEADERS_AVAILABLE)
        ? StatusEvent.HeadersAvailable.INSTANCE : null, result);
  }

  // ---------------------------------------------------------------- the body

  /** queryDataAvailable ({@code dst} null) or readData, once the headers were delivered. */
  void serve(Op op, ByteBuffer dst) {
    dataOp = op;
    op.buffer = dst;
    serveData();
  }

  /** The socket became readable in the body phase. */
  void bodyReadable() {
    if (dataOp != null) {
      serveData();
    }
  }

  private void serveData() {
    Connection conn = exchange.connection();
    try {
      int n = bodyComplete() ? 0 : decoding != null ? decoding.pump(decoder, conn, dataOp.buffer)
          : BodyPump.pump(decoder, conn, dataOp.buffer);
      if (n == BodyPump.NEED_INPUT) {
        io.awaitReadable(conn, core.value(Option.RECEIVE_TIMEOUT), "waiting for the response body");
        return;
      }
      if (n > 0 && dataOp.buffer != null) {
        timing.bodyBytes(n);
      }
      if (bodyComplete() && exchange.phase() == Exchange.Phase.BODY) {
        finishBody();
      }
      completeData(n);
    } catch (ProtocolViolation e) {
      exchange.failAll(Errors.fromViolation(e));
    } catch (IOException e) {
      Connection c = exchange.connection();
      exchange.failAll(Errors.fromIo(e, c, exchange.request().message().origin, core.session().tls()));
    }
  }

  private void completeData(int n) {
    Op done = dataOp;
    dataOp = null;
    if (n == 0 || exchange.phase() == Exchange.Phase.COMPLETE) {
      emitCloseEventsIfDue();
    }
    if (done.buffer == null) {
      done.complete(events, events.wants(CallbackStatus.DATA_AVAILABLE) ? new StatusEvent.DataAvailable(n) : null, n);
    } else {
      done.complete(events, events.wants(CallbackStatus.READ_COMPLETE)
          ? new StatusEvent.ReadComplete(done.buffer, n) : null, n);
    }
  }

  /** The body is complete: pool the connection now (rule 16), or close it. */
  private void finishBody() {
    exchange.enter(Exchange.Phase.COMPLETE);
    exchange.ended(null);
    Connection c = exchange.takeConnection();
    if (c == null) {
      return;
    }
    ConnectionPool pool = core.session().pool();
    if (head.statusCode() == 101) {
      // an upgraded connection never returns to the pool (rule 18): it waits for completeUpgrade,
      // with whatever the server sent after the 101 head still in its read buffer
      if (upgradeOffer != null) {
        upgraded.set(new WebSocketHandover(c, exchange.loop(), upgradeOffer.deflate()));
      } else {
        pool.discard(c);
      }
      return;
    }
    RequestWriter request = exchange.request();
    boolean serverCloses = head.connectionClose() || decoder.closeDelimited();
    if (!serverCloses && !request.saysClose() && !request.body().withheld() && !c.hasBuffered()) {
      pool.release(c);
      return;
    }
    closeEventsDue = head.connectionClose() || request.saysClose();
    pool.discard(c);
  }

  /**
   * completeUpgrade, from any thread: the upgraded connection, once; null if there is none (no
   * verified 101, or it was taken or released already).
   */
  WebSocketHandover takeUpgrade() {
    return upgraded.getAndSet(null);
  }

  /** Closes an upgraded connection that no websocket took. */
  void releaseUpgrade() {
    WebSocketHandover left = upgraded.getAndSet(null);
    if (left != null) {
      if (left.deflate() != null) {
        left.deflate().end();
      }
      core.session().pool().discard(left.connection());
    }
  }

  /** The application has had the whole body (decoded, when a content coding is undone). */
  private boolean bodyComplete() {
    return decoding == null ? decoder.isComplete() : decoding.isComplete();
  }

  void releaseDecoding() {
    if (decoding != null) {
      decoding.release();
      decoding = null;
    }
  }

  /**
   * The 3xx (or answered 401/407) body is not wanted: skips what of it is buffered and says
   * whether {@code c} can be kept, which it can only if the whole body is already here.
   */
  boolean skipUnwanted(Connection c, boolean requestSaysClose, boolean withheld) {
    try {
      BodyPump.skipBuffered(decoder, c.in());
    } catch (ProtocolViolation e) {
      return false;
    }
    // withheld: the server answered before 100 Continue and may still wait for the body
    return decoder.isComplete() && head.keepAlive() && !requestSaysClose && !c.hasBuffered()
        && !withheld;
  }

  /**
   * The handle closes with the body unread: the framing to drain the rest with so the connection
   * can be pooled, or null when it cannot be.
   */
  BodyDecoder drainable(boolean requestSaysClose) {
    return decoder != null && !decoder.closeDelimited() && head.keepAlive() && !requestSaysClose
        ? decoder : null;
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

  private Http1ResponseParser parser() {
    if (parser == null) {
      parser = new Http1ResponseParser(core.value(Option.MAX_RESPONSE_HEADER_SIZE),
          Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT);
    }
    return parser;
  }
}
