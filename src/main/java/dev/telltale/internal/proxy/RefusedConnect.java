package dev.telltale.internal.proxy;

import dev.telltale.internal.http1.ResponseHead;

/**
 * A {@code CONNECT} the proxy answered with a response the request receives as its own (a 407
 * the tunnel could not answer): its head, parsed already, with its body still unread on the
 * connection, and how many bytes the {@code CONNECT} took, which is all this send put on the wire.
 *
 * @param head the proxy's final answer
 * @param requestBytes the size of the {@code CONNECT} request that was sent
 */
public record RefusedConnect(ResponseHead head, long requestBytes) {}
