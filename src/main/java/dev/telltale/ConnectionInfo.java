package dev.telltale;

import java.net.InetSocketAddress;

/**
 * Which connection served a request, asked during the request rather than guessed from events:
 * a stable id (the same for every request the connection serves), both ends, whether it came from
 * the pool, and the TLS protocol negotiated on it.
 *
 * @param connectionId a process-wide id of the connection, stable for its whole life
 * @param localAddress this side's address and port (null if the socket no longer knows it)
 * @param remoteAddress the server's address and port
 * @param reused whether the connection came from the keep-alive pool for this request
 * @param tlsProtocol the TLS protocol, e.g. {@code TLSv1.3}, or null for plain http
 */
public record ConnectionInfo(long connectionId, InetSocketAddress localAddress,
    InetSocketAddress remoteAddress, boolean reused, String tlsProtocol) {
  @Override
  public String toString() {
    return "connection " + connectionId + " " + localAddress + " -> " + remoteAddress
        + (reused ? " (reused)" : " (new)") + (tlsProtocol == null ? "" : " " + tlsProtocol);
  }
}
