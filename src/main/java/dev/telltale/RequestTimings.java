package dev.telltale;

import java.time.Duration;

/**
 * Where one request's time went, phase by phase, as curl's {@code -w} reports it: measured by the
 * library at the moments it emits the matching notifications, whatever the callback's flags.
 * Phases a request did not go through are {@link Duration#ZERO} (a pooled connection has no
 * resolve, connect or TLS phase). With redirects, each phase adds up over the hops.
 *
 * @param queued waiting for a connection when {@code MAX_CONNS_PER_SERVER} was reached
 * @param resolve RESOLVING_NAME to NAME_RESOLVED
 * @param connect the first CONNECTING_TO_SERVER to CONNECTED_TO_SERVER (all attempts)
 * @param tlsHandshake CONNECTED_TO_SERVER to the end of the TLS handshake
 * @param send SENDING_REQUEST to REQUEST_SENT (head and the body given to sendRequest)
 * @param serverWait REQUEST_SENT to RESPONSE_RECEIVED: the server's think time and the round trip
 * @param timeToFirstByte from {@code sendRequest} to the final response's head (curl's
 *     {@code time_starttransfer})
 * @param download from the final response's head to the end of its body
 * @param total from {@code sendRequest} to the end of the body (or to the failure)
 * @param bytesSent request heads and bodies written, over all hops
 * @param bytesReceived response heads and body bytes received, over all hops
 * @param redirects redirects followed
 * @param connectionReused whether the final hop's connection came from the pool
 * @param complete whether the request has ended (body complete or failed): otherwise the figures
 *     are those so far
 */
public record RequestTimings(Duration queued, Duration resolve, Duration connect, Duration tlsHandshake,
    Duration send, Duration serverWait, Duration timeToFirstByte, Duration download, Duration total,
    long bytesSent, long bytesReceived, int redirects, boolean connectionReused, boolean complete) {
  /** Checks that no duration is null or negative. */
  public RequestTimings {
    // one call per component rather than a loop over an array: every request builds one of these
    check(queued, "queued");
    check(resolve, "resolve");
    check(connect, "connect");
    check(tlsHandshake, "tlsHandshake");
    check(send, "send");
    check(serverWait, "serverWait");
    check(timeToFirstByte, "timeToFirstByte");
    check(download, "download");
    check(total, "total");
  }

  private static void check(Duration d, String name) {
    if (d == null) {
      throw new NullPointerException(name + " must not be null");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
