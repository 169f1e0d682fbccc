package dev.telltale.internal;

import dev.telltale.AsyncApi;
import dev.telltale.CallbackStatus;
import dev.telltale.CloseStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.StatusEvent;
import dev.telltale.Timeouts;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.ws.FrameReader;
import dev.telltale.internal.ws.FrameWriter;
import dev.telltale.internal.ws.MessageAssembler;
import dev.telltale.internal.ws.PerMessageDeflate;
import dev.telltale.internal.ws.WsOpcode;
import dev.telltale.internal.ws.WsProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One websocket's engine (rules 24–28). The public {@code WebSocket} checks a call's arguments and
 * the call-time rules ({@link WsCalls}) and submits the operation to the loop that owns the
 * connection; everything after that runs on that loop. Operations are {@link Op}s, completed
 * through the handle's {@link CallbackDispatcher} like a request's.
 *
 * <p>Receiving: {@link WsReadPump} reads, the {@link FrameReader} and {@link MessageAssembler} turn
 * the bytes into message pieces, which wait in {@link WsInbound} until a receive takes them.
 * Sending: {@link WsWriter}. Pings: {@link WsKeepalive}. Here: the operations, the close handshake
 * and failures.
 */
public final class WebSocketCore implements Connection.User, MessageAssembler.Listener, WsWriter.Owner {
  private static final Logger log = LoggerFactory.getLogger(WebSocketCore.class);
  /** RFC 6455 §7.4.1: the endpoint is going away; sent when the handle is closed mid-connection. */
  private static final int GOING_AWAY = 1001;

  private final HandleCore core;
  private final CallbackDispatcher events;
  private final EventLoop loop;
  private final Connection conn;
  final PerMessageDeflate deflate;
  final WsWriter writer;
  private final WsInbound inbound = new WsInbound();
  private final WsCalls calls = new WsCalls();
  final WsReadPump reads;
  final WsKeepalive keepalive;
  /**
   * The request's settings, read once at the upgrade: its receive and send timeouts (a websocket
   * has none of its own), and the buffer sizes and message limit set before the upgrade.
   */
  private final Duration receiveTimeout;
  private final Duration sendTimeout;

  /** The server's close frame once the loop decoded it (published to calls when delivered). */
  volatile CloseStatus peerCloseRead;

  // loop state
  private Op sendOp;
  private WebSocketStatus sendResult;
  private Op receiveOp;
  private Op shutdownOp;
  private Op closeOp;
  /** close(status, reason) reached the loop: no receive can be served any more. */
  private boolean closeStarted;
  private boolean closeFrameSent;
  private boolean closeFrameReceived;
  private boolean wantWrite;
  private boolean handleClosed;
  private HttpException failure;
  private final TimerSlot closeTimer = new TimerSlot();
  private final TimerSlot sendTimer = new TimerSlot();

  public WebSocketCore(HandleCore core, HandleCore requestCore, WebSocketHandover handover) {
    this.core = core;
    this.receiveTimeout = requestCore.value(Option.RECEIVE_TIMEOUT);
    this.sendTimeout = requestCore.value(Option.SEND_TIMEOUT);
    this.events = core.dispatcher();
    this.loop = handover.loop();
    this.conn = handover.connection();
    this.deflate = handover.deflate();
    long max = requestCore.value(Option.WEB_SOCKET_MAX_MESSAGE_SIZE);
    MessageAssembler assembler = new MessageAssembler(max, deflate, this);
    this.writer = new WsWriter(conn, this, requestCore.value(Option.WEB_SOCKET_SEND_BUFFER_SIZE));
    this.reads = new WsReadPump(conn, new FrameReader(max, deflate != null), assembler::frame,
        inbound, 4L * requestCore.value(Option.WEB_SOCKET_RECEIVE_BUFFER_SIZE), new ReadEvents());
    this.keepalive = new WsKeepalive(loop, core,
        () -> !conn.isClosed() && !handleClosed && !writer.closeQueued(),
        () -> writer.control(WsOpcode.PING, ByteBuffer.allocate(0)));
  }

  /** Takes the connection over on its loop and starts reading (bytes after the 101 first). */
  public void start() {
    loop.submit(() -> {
      if (handleClosed) {
        return;
      }
      conn.setUser(this);
      log.debug("websocket on {} started{}", conn, deflate != null ? " with permessage-deflate" : "");
      keepalive.arm();
      reads.pump();
    });
  }

  /** The view of this engine for tests and diagnostics. */
  public WsProbe probe() {
    return new WsProbe(this);
  }

  public boolean isCompressed() {
    return deflate != null;
  }

  // ---------------------------------------------------------------- calls (any thread)

  public CompletableFuture<Void> send(WebSocketBufferType type, ByteBuffer data) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    ByteBuffer payload = data.duplicate();
    boolean first = calls.beginSend(type, payload);
    Op op = new Op(AsyncApi.WEB_SOCKET_SEND);
    loop.submit(() -> startSend(op, type, payload, first));
    return op.future();
  }

  public CompletableFuture<WebSocketStatus> receive(ByteBuffer dst) {
    Objects.requireNonNull(dst, "dst");
    if (dst.isReadOnly() || !dst.hasRemaining()) {
      throw new IllegalArgumentException("receive needs a writable buffer with room");
    }
    calls.beginReceive();
    Op op = new Op(AsyncApi.WEB_SOCKET_RECEIVE);
    op.buffer = dst;
    loop.submit(() -> startReceive(op));
    return op.future();
  }

  public CompletableFuture<Void> shutdown(int status, String reason) {
    ByteBuffer payload = FrameWriter.closePayload(status, reason);
    calls.beginShutdown();
    Op op = new Op(AsyncApi.WEB_SOCKET_SHUTDOWN);
    loop.submit(() -> startShutdown(op, payload));
    return op.future();
  }

  public CompletableFuture<Void> closeHandshake(int status, String reason) {
    ByteBuffer payload = FrameWriter.closePayload(status, reason);
    calls.beginClose();
    Op op = new Op(AsyncApi.WEB_SOCKET_CLOSE);
    loop.submit(() -> startClose(op, payload));
    return op.future();
  }

  public CloseStatus queryCloseStatus() {
    return calls.queryCloseStatus();
  }

  /**
   * Handle close: cancel everything pending, send a 1001 close frame if it goes out without waiting
   * (RFC 6455 §7.1.1 wants the connection ended by a close handshake, and "going away" tells the
   * server why it gets no more; WinHTTP's tables show no notification for it, so none is added),
   * drop the connection, then HANDLE_CLOSING.
   */
  public void closeHandle() {
    loop.submit(() -> {
      handleClosed = true;
      HttpException cancelled =
          new HttpException(ErrorCode.OPERATION_CANCELLED, "the websocket handle was closed");
      failPending(cancelled);
      if (failure == null) {
        writer.goingAway(FrameWriter.closePayload(GOING_AWAY, "the websocket handle was closed"));
      }
      closeConnection();
      if (deflate != null) {
        deflate.end();
      }
      core.postClosingWhenChildrenClosed();
    });
  }

  /** The keepalive option changed on the handle: re-arm with the new interval. */
  public void keepaliveChanged() {
    loop.submit(keepalive::arm);
  }

  // ---------------------------------------------------------------- operations (on the loop)

  private void startSend(Op op, WebSocketBufferType type, ByteBuffer payload, boolean first) {
    if (refusedAfterClose(op) || refusedAfterFailure(op)) {
      calls.sendEnded();
      return;
    }
    int bytes = payload.remaining();
    boolean fin = !WsCalls.isFragment(type);
    int opcode = !first ? WsOpcode.CONTINUATION
        : WsCalls.isUtf8(type) ? WsOpcode.TEXT : WsOpcode.BINARY;
    boolean rsv1 = false;
    if (deflate != null && first && fin) {
      // only whole messages are compressed: a fragmented send streams, and RFC 7692 lets any
      // message go uncompressed
      payload = deflate.compress(payload);
      rsv1 = true;
    }
    sendOp = op;
    sendResult = new WebSocketStatus(bytes, type);
    writer.startData(payload, opcode, fin, rsv1);
  }

  @Override
  public void dataSent() {
    Op done = sendOp;
    if (done == null) {
      return; // abandoned by a failure
    }
    sendOp = null;
    calls.sendEnded();
    WebSocketStatus result = sendResult;
    done.complete(events, events.wants(CallbackStatus.WRITE_COMPLETE)
        ? new StatusEvent.WebSocketWriteComplete(result) : null, null);
  }

  private void startReceive(Op op) {
    if (refusedAfterClose(op)) {
      return;
    }
    if (closeStarted) {
      // admitted before close was called, but queued behind it by a racing thread: cancelled as
      // a receive pending at close is (rule 27), rather than left pending forever
      calls.receiveEnded();
      op.fail(events, new HttpException(ErrorCode.OPERATION_CANCELLED,
          "close(status, reason) was called before the receive started"));
      return;
    }
    if (inbound.isEmpty() && refusedAfterFailure(op)) {
      calls.receiveEnded();
      return;
    }
    receiveOp = op;
    serveReceive();
    reads.resumeIfRoom();
  }

  /** Fills the pending receive from what was received; completes it when it can. */
  private void serveReceive() {
    if (receiveOp == null) {
      return;
    }
    WsInbound.Result result = inbound.fill(receiveOp.buffer);
    if (result != null) {
      completeReceive(result.bytes(), result.type());
    } else if (failure != null && inbound.isEmpty()) {
      Op op = receiveOp;
      receiveOp = null;
      calls.receiveEnded();
      op.fail(events, failure);
    }
  }

  private void completeReceive(int bytes, WebSocketBufferType type) {
    Op done = receiveOp;
    receiveOp = null;
    if (type == WebSocketBufferType.CLOSE) {
      calls.serverCloseDelivered(peerCloseRead, true);
    }
    calls.receiveEnded();
    WebSocketStatus status = new WebSocketStatus(bytes, type);
    done.complete(events, events.wants(CallbackStatus.READ_COMPLETE)
        ? new StatusEvent.WebSocketReadComplete(status) : null, status);
  }

  private void startShutdown(Op op, ByteBuffer payload) {
    if (refusedAfterClose(op) || refusedAfterFailure(op)) {
      return;
    }
    shutdownOp = op;
    writer.close(payload);
  }

  private void startClose(Op op, ByteBuffer payload) {
    if (refusedAfterClose(op)) {
      return;
    }
    closeStarted = true;
    if (receiveOp != null) {
      // rule 27: the pending receive is cancelled before CLOSE_COMPLETE
      Op cancelled = receiveOp;
      receiveOp = null;
      calls.receiveEnded();
      cancelled.fail(events, new HttpException(ErrorCode.OPERATION_CANCELLED,
          "close(status, reason) cancelled the pending receive"));
    }
    inbound.clear(); // no receive can take it any more
    if (closeFrameSent && closeFrameReceived) {
      completeClose(op); // the handshake is over already
      return;
    }
    if (refusedAfterFailure(op)) {
      return;
    }
    closeOp = op;
    writer.close(payload);
    Duration limit = receiveTimeout;
    if (!closeFrameReceived && !Timeouts.isInfinite(limit)) {
      closeTimer.arm(loop, limit.toNanos(), () -> failConnection(new HttpException(ErrorCode.TIMEOUT,
          "the server did not answer the close frame within " + limit)));
    }
  }

  @Override
  public void closeFrameSent() {
    closeFrameSent = true;
    if (failure != null) {
      closeConnection(); // a protocol error's close frame is out: now fail the connection
      return;
    }
    if (shutdownOp != null) {
      Op done = shutdownOp;
      shutdownOp = null;
      done.complete(events, events.wants(CallbackStatus.SHUTDOWN_COMPLETE)
          ? StatusEvent.ShutdownComplete.INSTANCE : null, null);
    }
    handshakeProgress();
  }

  /** After either close frame: once both went, the connection ends and a pending close completes. */
  private void handshakeProgress() {
    if (!closeFrameSent || !closeFrameReceived) {
      return;
    }
    closeTimer.cancel();
    closeConnection();
    if (closeOp != null) {
      Op done = closeOp;
      closeOp = null;
      completeClose(done);
    }
  }

  /** CLOSE_COMPLETE: the server's close status is known to the application from here on. */
  private void completeClose(Op op) {
    calls.serverCloseDelivered(peerCloseRead, false);
    op.complete(events, events.wants(CallbackStatus.CLOSE_COMPLETE)
        ? StatusEvent.CloseComplete.INSTANCE : null, null);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void onReady(Connection connection, int readyOps) {
    if ((readyOps & SelectionKey.OP_WRITE) != 0 && wantWrite) {
      writer.pump();
    }
    if ((readyOps & SelectionKey.OP_READ) != 0) {
      reads.pump();
    }
  }

  /** The read pump's reports, kept off this class's own interfaces. */
  private final class ReadEvents implements WsReadPump.Owner {
    @Override
    public boolean receivePending() {
      return receiveOp != null;
    }

    @Override
    public void endOfStream() {
      onEndOfStream();
    }

    @Override
    public void protocolError(WsProtocolException e) {
      onProtocolError(e);
    }

    @Override
    public void readFailed(IOException e) {
      failConnection(new HttpException(ErrorCode.CONNECTION_ERROR,
          "websocket connection failed: " + e.getMessage(), e));
    }

    @Override
    public void interestChanged() {
      updateInterest();
    }
  }

  @Override
  public void data(boolean text, ByteBuffer bytes, boolean last) {
    if (closeOp != null || handleClosed) {
      return; // close() was called: no receive can take it
    }
    inbound.add(text, bytes, last);
    serveReceive();
  }

  @Override
  public void ping(ByteBuffer payload) {
    writer.control(WsOpcode.PONG, payload); // rule 28: answered automatically
  }

  @Override
  public void pong(ByteBuffer payload) {
    log.debug("websocket on {}: pong of {} bytes", conn, payload.remaining());
  }

  @Override
  public void close(int code, String reason) {
    log.debug("websocket on {}: server's close frame {} {}", conn, code, reason);
    closeFrameReceived = true;
    reads.stop(); // nothing may follow a close frame
    peerCloseRead = new CloseStatus(code, reason);
    if (closeOp == null) {
      inbound.addClose();
      serveReceive();
    }
    handshakeProgress();
  }

  private void onEndOfStream() {
    if (closeFrameReceived) {
      closeConnection();
      return;
    }
    failConnection(new HttpException(ErrorCode.CONNECTION_ERROR,
        "the server closed the websocket connection without a close frame"));
  }

  // ---------------------------------------------------------------- failures

  /** The server broke RFC 6455: send our close frame with the codec's code, then drop the connection. */
  private void onProtocolError(WsProtocolException e) {
    log.debug("websocket on {}: protocol error {}: {}", conn, e.closeCode(), e.getMessage());
    reads.stop();
    HttpException error = new HttpException(ErrorCode.INVALID_SERVER_RESPONSE,
        "websocket protocol error (close code " + e.closeCode() + "): " + e.getMessage());
    boolean frameOwed = !writer.closeQueued();
    failure = error;
    writer.abandonData();
    failPending(error);
    if (frameOwed) {
      writer.close(FrameWriter.closePayload(e.closeCode(), shortReason(e.getMessage())));
      if (!conn.isClosed()) {
        Duration limit = sendTimeout;
        closeTimer.arm(loop, Timeouts.isInfinite(limit) ? 30_000_000_000L : limit.toNanos(),
            this::closeConnection);
      }
    } else {
      closeConnection();
    }
  }

  /** The connection is lost: every pending operation fails with {@code error}, later ones too. */
  private void failConnection(HttpException error) {
    if (failure == null) {
      failure = error;
    }
    reads.stop();
    writer.abandonData();
    closeConnection();
    failPending(failure);
  }

  @Override
  public void writeFailed(IOException e) {
    reads.drainBeforeFailure();
    failConnection(new HttpException(ErrorCode.CONNECTION_ERROR,
        "websocket connection failed while sending: " + e.getMessage(), e));
  }

  /** Fails send, receive, shutdown and close (in that order) if pending. */
  private void failPending(HttpException error) {
    Op[] pending = {sendOp, receiveOp, shutdownOp, closeOp};
    sendOp = receiveOp = shutdownOp = closeOp = null;
    calls.allEnded();
    for (Op op : pending) {
      if (op != null) {
        op.fail(events, error);
      }
    }
  }

  private boolean refusedAfterClose(Op op) {
    if (!handleClosed) {
      return false;
    }
    // queued before close() but run after it: no notification may follow HANDLE_CLOSING
    op.future().completeExceptionally(
        new HttpException(ErrorCode.OPERATION_CANCELLED, "the websocket handle was closed"));
    return true;
  }

  private boolean refusedAfterFailure(Op op) {
    if (failure == null && !conn.isClosed()) {
      return false;
    }
    op.fail(events, failure != null ? failure : new HttpException(ErrorCode.CONNECTION_ERROR,
        "the websocket connection is closed"));
    return true;
  }

  private void closeConnection() {
    reads.stop();
    closeTimer.cancel();
    sendTimer.cancel();
    keepalive.cancel();
    if (!conn.isClosed()) {
      // through the pool, which still counts the upgraded connection for MAX_CONNS_PER_SERVER
      core.session().pool().discard(conn);
    }
  }

  // ---------------------------------------------------------------- interest, timers

  @Override
  public void wantWrite(boolean want) {
    wantWrite = want;
    if (want) {
      // re-armed at every wait, as for a request: the send timeout is the time one write may take
      // to make progress, not the time a whole (possibly huge) message may take
      Duration limit = sendTimeout;
      if (!Timeouts.isInfinite(limit)) {
        sendTimer.arm(loop, limit.toNanos(), () -> failConnection(new HttpException(
            ErrorCode.TIMEOUT, "sending on the websocket made no progress for " + limit)));
      }
    } else {
      sendTimer.cancel();
    }
    updateInterest();
  }

  private void updateInterest() {
    if (conn.isClosed()) {
      return;
    }
    boolean read = reads.wantsRead();
    conn.interest((read ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0));
  }

  // ---------------------------------------------------------------- helpers

  /** The codec's message cut to what a close frame holds (123 UTF-8 bytes). */
  static String shortReason(String message) {
    String reason = message == null ? "" : message;
    while (reason.getBytes(StandardCharsets.UTF_8).length > FrameWriter.MAX_CLOSE_REASON_BYTES) {
      reason = reason.substring(0, reason.length() - 1);
    }
    return reason;
  }
}
