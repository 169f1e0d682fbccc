package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.Option;
import dev.telltale.ResponseHeaders;
import dev.telltale.StatusEvent;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.Http1Framing;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.util.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The response side of an {@link Exchange}: reads heads off its connection (reporting and
 * consuming interim 1xx answers, among them the 100 Continue an upload waits for), frames the
 * final head's body and undoes its content coding, and says what the connection is good for once
 * the body is complete or no longer wanted. Owns the parser, the final head and the body's
 * decoders; the exchange keeps the phase, the operations and the connection, and is called back
 * for everything that moves them. Every method runs on the request's loop, like the exchange.
 */
final class ResponseReader {
  private final Exchange exchange;
  private final HandleCore core;
  private final CallbackDispatcher events;
  private final TimingRecorder timing;
  private final ExchangeIo io;

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

  ResponseReader(Exchange exchange, HandleCore core, ExchangeIo io, TimingRecorder timing) {
    this.exchange = exchange;
    this.core = core;
    this.events = core.dispatcher();
    this.io = io;
    this.timing = timing;
  }

  /** A new sendRequest: nothing of the previous response is kept. */
  void reset() {
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
    exchange.onFinalHead(parsed);
    return false;
  }

  /** The final head of {@code method}'s response: the framing of its body. */
  void frame(String method, ResponseHead parsed) throws ProtocolViolation {
    head = parsed;
    timing.headReceived(Clock.nanoTime(), parsed.headerBytes(), true);
    decoder = Http1Framing.decoderFor(method, parsed);
  }

  /** receiveResponse delivers the final head: the body phase starts; returns the public head. */
  ResponseHeaders deliver(ExchangeFeatures features) {
    headers = Errors.toPublic(head);
    decoding = features.decoding(head, decoder);
    return headers;
  }

  // ---------------------------------------------------------------- the body

  /**
   * As {@link BodyPump#pump}, through the content decoder when there is one: 0 once the
   * application has had the whole body.
   */
  int pump(Connection conn, ByteBuffer dst) throws ProtocolViolation, IOException {
    return bodyComplete() ? 0 : decoding != null ? decoding.pump(decoder, conn, dst)
        : BodyPump.pump(decoder, conn, dst);
  }

  /** The application has had the whole body (decoded, when a content coding is undone). */
  boolean bodyComplete() {
    return decoding == null ? decoder.isComplete() : decoding.isComplete();
  }

  void releaseDecoding() {
    if (decoding != null) {
      decoding.release();
      decoding = null;
    }
  }

  /**
   * The body is complete: whether {@code c} may go back to the pool now (rule 16). When it may
   * not, the close notifications are due if either side asked for the close.
   */
  boolean reusableAfterBody(Connection c, boolean requestSaysClose, boolean withheld) {
    boolean serverCloses = head.connectionClose() || decoder.closeDelimited();
    if (!serverCloses && !requestSaysClose && !withheld && !c.hasBuffered()) {
      return true;
    }
    closeEventsDue = head.connectionClose() || requestSaysClose;
    return false;
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

  void emitCloseEventsIfDue() {
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
