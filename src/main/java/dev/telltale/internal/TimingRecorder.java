package dev.telltale.internal;

import dev.telltale.RequestTimings;
import java.time.Duration;

/**
 * Takes the time at each step of an exchange and adds it to the phase it ends. Loop thread only;
 * a few {@code nanoTime} reads and additions per request, no allocation until a snapshot.
 */
final class TimingRecorder {
  private static final long UNSET = Long.MIN_VALUE;

  private long start = UNSET;
  private long queuedSince = UNSET;
  private long resolveSince = UNSET;
  private long connectSince = UNSET;
  private long tlsSince = UNSET;
  private long sendSince = UNSET;
  private long waitSince = UNSET;
  private long headAt = UNSET;
  private long end = UNSET;
  private long queued;
  private long resolve;
  private long connect;
  private long tls;
  private long send;
  private long wait;
  private long bytesSent;
  private long bytesReceived;
  private int redirects;
  private boolean reused;

  void start(long now) {
    start = now;
    queuedSince = resolveSince = connectSince = tlsSince = sendSince = waitSince = headAt = end = UNSET;
    queued = resolve = connect = tls = send = wait = bytesSent = bytesReceived = 0;
    redirects = 0;
    reused = false;
  }

  void acquiring(long now) {
    queuedSince = now;
  }

  void notQueued() {
    queuedSince = UNSET;
  }

  void leaseGranted(long now) {
    queued += since(queuedSince, now);
    queuedSince = UNSET;
  }

  void resolving(long now) {
    resolveSince = now;
  }

  void resolved(long now) {
    resolve += since(resolveSince, now);
    resolveSince = UNSET;
  }

  void connecting(long now) {
    if (connectSince == UNSET) {
      connectSince = now; // the first attempt: failed attempts count as connecting time
    }
  }

  void connected(long now) {
    connect += since(connectSince, now);
    connectSince = UNSET;
    tlsSince = now;
  }

  void tlsDone(long now) {
    tls += since(tlsSince, now);
    tlsSince = UNSET;
  }

  void sending(long now, boolean reusedConnection) {
    sendSince = now;
    reused = reusedConnection;
  }

  void sent(long now, long bytes) {
    send += since(sendSince, now);
    sendSince = UNSET;
    bytesSent += bytes;
    waitSince = now;
  }

  void bodyWritten(long bytes) {
    bytesSent += bytes;
  }

  void headReceived(long now, long bytes, boolean last) {
    bytesReceived += bytes;
    if (waitSince != UNSET) {
      wait += since(waitSince, now);
      waitSince = last ? UNSET : now;
    }
    if (last) {
      headAt = now;
    }
  }

  void redirected() {
    redirects++;
    headAt = UNSET;
  }

  void bodyBytes(long n) {
    bytesReceived += n;
  }

  void finished(long now) {
    if (start != UNSET && end == UNSET) {
      end = now;
    }
  }

  boolean started() {
    return start != UNSET;
  }

  boolean isFinished() {
    return end != UNSET;
  }

  RequestTimings snapshot(long now) {
    long until = end != UNSET ? end : now;
    return new RequestTimings(nanos(queued), nanos(resolve), nanos(connect), nanos(tls), nanos(send),
        nanos(wait), nanos(headAt == UNSET || start == UNSET ? 0 : headAt - start),
        nanos(headAt == UNSET ? 0 : until - headAt), nanos(start == UNSET ? 0 : until - start),
        bytesSent, bytesReceived, redirects, reused, end != UNSET);
  }

  private static long since(long mark, long now) {
    return mark == UNSET ? 0 : Math.max(0, now - mark);
  }

  private static Duration nanos(long n) {
    return Duration.ofNanos(Math.max(0, n));
  }
}
