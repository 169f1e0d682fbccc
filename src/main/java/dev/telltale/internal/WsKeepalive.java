package dev.telltale.internal;

import dev.telltale.Option;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.TimerSlot;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The {@code WEB_SOCKET_KEEPALIVE_INTERVAL} pings of one websocket: a deadline on its loop, re-armed
 * after every ping and whenever the option changes on the handle. Loop thread only, except the
 * volatile counters read by {@link WsProbe}.
 */
final class WsKeepalive {
  private final EventLoop loop;
  private final HandleCore core;
  /** Whether a ping may go out now: the connection is open and our close frame not queued. */
  private final BooleanSupplier canPing;
  private final Runnable sendPing;
  private final TimerSlot timer = new TimerSlot();
  private volatile Duration interval = Duration.ZERO;
  private volatile long pingsSent;

  WsKeepalive(EventLoop loop, HandleCore core, BooleanSupplier canPing, Runnable sendPing) {
    this.loop = loop;
    this.core = core;
    this.canPing = canPing;
    this.sendPing = sendPing;
  }

  /** (Re)arms with the handle's current interval; off when it is zero or no ping can go out. */
  void arm() {
    Duration wanted = core.value(Option.WEB_SOCKET_KEEPALIVE_INTERVAL);
    timer.cancel();
    if (wanted.isZero() || !canPing.getAsBoolean()) {
      interval = Duration.ZERO;
      return;
    }
    interval = wanted;
    timer.arm(loop, wanted.toNanos(), this::tick);
  }

  void cancel() {
    timer.cancel();
    interval = Duration.ZERO;
  }

  /** Runs the deadline's action now (tests: no waiting 15 s). */
  void fireNow() {
    loop.submit(this::tick);
  }

  Duration interval() {
    return interval;
  }

  long pingsSent() {
    return pingsSent;
  }

  private void tick() {
    if (!canPing.getAsBoolean()) {
      return;
    }
    pingsSent++;
    sendPing.run();
    arm();
  }
}
