package dev.telltale.websocket;

import dev.telltale.testkit.RawServer;
import java.io.InputStream;

/**
 * Raw scripted websocket servers for the handle-rule tests: an echo server that returns every data
 * frame as it came (opcode, FIN, payload, unmasked), answers pings and the client's close frame,
 * and a server that completes the handshake, writes a script and then neither reads nor writes (so
 * a large send stays pending and a receive waits forever).
 */
final class WsEchoServer {
  private WsEchoServer() {}

  /** An echo server; it answers the client's close frame with the same status and reason. */
  static RawServer echo() throws Exception {
    return RawServer.start(conn -> {
      WsWire.handshake(conn, "");
      InputStream in = conn.socket().getInputStream();
      while (true) {
        WsWire.Frame frame = WsWire.read(in);
        if (frame.opcode() == 8) {
          conn.write(WsWire.frame(0x88, frame.payload()));
          conn.drainUntilClientCloses();
          return;
        }
        int opcode = frame.opcode() == 9 ? 10 : frame.opcode(); // a ping is answered with a pong
        conn.write(WsWire.frame((frame.fin() ? 0x80 : 0) | opcode, frame.payload()));
      }
    });
  }

  /**
   * Completes the handshake, writes {@code afterHandshake} in the same write as the 101 (so it is
   * there before the first receive), then holds the connection without reading: the socket
   * buffers fill and a large send cannot complete.
   */
  static RawServer scriptedThenDeaf(byte[] afterHandshake) throws Exception {
    return RawServer.start(conn -> {
      conn.socket().setReceiveBufferSize(8192); // keep what the kernel swallows small
      String head = conn.readHead();
      String accept = WsWire.accept(WsWire.header(head, "Sec-WebSocket-Key"));
      conn.write(WsWire.concat(WsWire.response(head, accept, "")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), afterHandshake));
      conn.holdSilently();
    });
  }
}
