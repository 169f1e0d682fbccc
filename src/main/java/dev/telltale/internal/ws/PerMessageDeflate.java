package dev.telltale.internal.ws;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692): negotiation, compression of outgoing messages and
 * streaming, bounded decompression of incoming ones. One instance per connection; not thread-safe
 * (the connection's event loop owns it). Call {@link #end()} when the connection ends: the
 * Inflater and Deflater hold native memory that the garbage collector frees only late.
 *
 * <p><b>Window sizes.</b> {@link java.util.zip.Deflater} always compresses with a 32 KiB (15-bit)
 * window and cannot be told to use less. A server's {@code client_max_window_bits=N} with N below 15
 * would oblige us to use a smaller window, which we cannot honour, and sending with a larger window
 * than agreed would make the server's inflate fail. So {@link #offer()} announces {@code
 * client_max_window_bits} without a value (only to let the server say 15) and {@link #negotiate}
 * rejects any smaller value. {@code server_max_window_bits} only shrinks the server's window, which
 * an Inflater with the maximum window always decodes, so any valid value is accepted.
 */
public final class PerMessageDeflate {
  /** The extension's name in Sec-WebSocket-Extensions. */
  public static final String NAME = "permessage-deflate";

  /** The empty stored block a sync flush ends with; RFC 7692 §7.2.1 strips it, §7.2.2 re-adds it. */
  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

  private static final byte[] EMPTY = new byte[0];

  /** Size of the reused inflate output buffer: bounds the memory an incoming message costs. */
  private static final int CHUNK = 16 * 1024;

  private final boolean serverNoContextTakeover;
  private final boolean clientNoContextTakeover;
  private final int serverMaxWindowBits;

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final Inflater inflater = new Inflater(true);
  private final ByteBuffer inflated = ByteBuffer.allocate(CHUNK);
  private final ByteBuffer tail = ByteBuffer.wrap(TAIL.clone());
  /** Inflated bytes of the current incoming message so far. */
  private long messageOutput;

  private PerMessageDeflate(
      boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits) {
    this.serverNoContextTakeover = serverNoContextTakeover;
    this.clientNoContextTakeover = clientNoContextTakeover;
    this.serverMaxWindowBits = serverMaxWindowBits;
  }

  /** The Sec-WebSocket-Extensions value the client sends to offer permessage-deflate. */
  public static String offer() {
    return NAME + "; client_max_window_bits";
  }

  /**
   * Parses the server's Sec-WebSocket-Extensions response value (RFC 7692 §5, §7.1).
   *
   * @param responseHeader the header's value (several headers joined with ","), or null if absent
   * @return the negotiated extension, or null when the server did not accept permessage-deflate
   * @throws WsProtocolException (1002) for an extension we did not offer, permessage-deflate twice,
   *     an unknown, duplicated or valueless/valued-when-it-must-not-be parameter, window bits outside
   *     8..15, or a client_max_window_bits below 15 (see the class comment)
   */
  public static PerMessageDeflate negotiate(String responseHeader) throws WsProtocolException {
    if (responseHeader == null || responseHeader.trim().isEmpty()) {
      return null;
    }
    PerMessageDeflate result = null;
    for (String extension : responseHeader.split(",")) {
      if (extension.trim().isEmpty()) {
        continue; // RFC 9110 list syntax allows empty elements
      }
      String[] parts = extension.split(";", -1); // -1: keep a trailing empty parameter, to reject it
      String name = parts[0].trim();
      if (!name.equalsIgnoreCase(NAME)) {
        throw failure("server accepted extension \"" + name + "\", which was not offered");
      }
      if (result != null) {
        throw failure("server accepted " + NAME + " more than once");
      }
      result = parseParameters(parts);
    }
    return result;
  }

  private static PerMessageDeflate parseParameters(String[] parts) throws WsProtocolException {
    boolean serverNoContext = false;
    boolean clientNoContext = false;
    int serverBits = -1;
    int clientBits = -1;
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim();
      String value = null;
      int eq = param.indexOf('=');
      if (eq >= 0) {
        value = unquote(param.substring(eq + 1).trim());
        param = param.substring(0, eq).trim();
      }
      String key = param.toLowerCase(Locale.ROOT);
      if (key.isEmpty()) {
        throw failure(NAME + " response has an empty parameter");
      }
      switch (key) {
        case "server_no_context_takeover":
          noValue(key, value);
          serverNoContext = true;
          break;
        case "client_no_context_takeover":
          noValue(key, value);
          clientNoContext = true;
          break;
        case "server_max_window_bits":
          serverBits = windowBits(key, value);
          break;
        case "client_max_window_bits":
          clientBits = windowBits(key, value);
          if (clientBits < 15) {
            throw failure(
                "server demands client_max_window_bits="
                    + clientBits
                    + ", but java.util.zip.Deflater always uses a 15-bit window");
          }
          break;
        default:
          throw failure("server sent unknown " + NAME + " parameter \"" + key + "\"");
      }
      if (!seen.add(key)) {
        throw failure(NAME + " parameter " + key + " appears more than once");
      }
    }
    return new PerMessageDeflate(serverNoContext, clientNoContext, serverBits < 0 ? 15 : serverBits);
  }

  private static void noValue(String key, String value) throws WsProtocolException {
    if (value != null) {
      throw failure(NAME + " parameter " + key + " takes no value, but has \"" + value + "\"");
    }
  }

  private static int windowBits(String key, String value) throws WsProtocolException {
    if (value == null) {
      throw failure(NAME + " parameter " + key + " has no value; the response must give 8..15");
    }
    if (value.length() == 1 && value.charAt(0) >= '8' && value.charAt(0) <= '9') {
      return value.charAt(0) - '0';
    }
    if (value.length() == 2 && value.charAt(0) == '1' && value.charAt(1) >= '0'
        && value.charAt(1) <= '5') {
      return 10 + value.charAt(1) - '0';
    }
    throw failure(NAME + " parameter " + key + "=" + value + " is not a window size of 8..15");
  }

  /** RFC 7692 §7.1 allows a parameter value as a quoted-string; its content must be a token. */
  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static WsProtocolException failure(String message) {
    return new WsProtocolException(WsProtocolException.PROTOCOL_ERROR, message);
  }

  /** Whether the server resets its compressor per message: we reset our Inflater likewise. */
  public boolean serverNoContextTakeover() {
    return serverNoContextTakeover;
  }

  /** Whether the server asked us to reset our compressor per message (we then do). */
  public boolean clientNoContextTakeover() {
    return clientNoContextTakeover;
  }

  /** The server's window size in bits (15 unless it announced server_max_window_bits). */
  public int serverMaxWindowBits() {
    return serverMaxWindowBits;
  }

  /**
   * Compresses one whole outgoing message (RFC 7692 §7.2.1): deflate with a sync flush and strip the
   * final empty stored block's 00 00 FF FF. {@code message}'s position advances to its limit.
   *
   * @return a new buffer (position 0) holding the payload to send in frames, the first with RSV1
   */
  public ByteBuffer compress(ByteBuffer message) {
    deflater.setInput(message);
    ByteBuffer out = ByteBuffer.allocate(Math.max(64, message.remaining() / 2 + 64));
    while (true) {
      deflater.deflate(out, Deflater.SYNC_FLUSH);
      // A sync flush is complete once deflate() leaves room in the output: it only fills the buffer
      // when it has more to say.
      if (out.hasRemaining()) {
        break;
      }
      ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    out.flip();
    if (endsWithTail(out)) {
      out.limit(out.limit() - TAIL.length);
    }
    if (out.remaining() == 0) {
      // Cannot happen with zlib (an empty message deflates to 00 00 00 FF FF), but an empty payload
      // would be invalid: §7.2.3.6 sends a single 00 byte.
      out.clear().put((byte) 0).flip();
    }
    deflater.setInput(EMPTY); // do not pin the caller's buffer until the next message
    if (clientNoContextTakeover) {
      deflater.reset();
    }
    return out;
  }

  private static boolean endsWithTail(ByteBuffer b) {
    int end = b.limit();
    if (end - b.position() < TAIL.length) {
      return false;
    }
    for (int i = 0; i < TAIL.length; i++) {
      if (b.get(end - TAIL.length + i) != TAIL[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Inflates the next frame payload of an incoming compressed message (RFC 7692 §7.2.2). Feed each
   * frame's payload in order; at the message's last frame pass {@code fin}, which appends 00 00 FF
   * FF and ends the message. Output goes to {@code sink} in chunks of at most 16 KiB from one reused
   * buffer (valid only during the call); the last call of a message has {@code last=true}, possibly
   * with an empty chunk. {@code compressed}'s position advances to its limit.
   *
   * @param maxOutput the most bytes the whole message may inflate to; more fails with 1009 as soon
   *     as one output chunk crosses it, before any byte past it is delivered, so a decompression
   *     bomb costs one chunk of memory and the time to inflate {@code maxOutput} bytes
   * @throws WsProtocolException 1009 past {@code maxOutput}, 1007 for data that is not valid
   *     DEFLATE, or whatever the sink throws; after any exception the inflate state is undefined
   *     and the connection is to be failed
   */
  public void inflate(ByteBuffer compressed, boolean fin, long maxOutput, InflateSink sink)
      throws WsProtocolException {
    drain(compressed, maxOutput, sink);
    if (fin) {
      tail.clear();
      drain(tail, maxOutput, sink);
      messageOutput = 0;
      if (serverNoContextTakeover || inflater.finished()) {
        // A final (BFINAL) block ends the DEFLATE stream: the next message starts a new one.
        inflater.reset();
      }
    }
    inflated.flip();
    if (fin || inflated.hasRemaining()) {
      sink.inflated(inflated, fin);
    }
    inflated.clear();
  }

  private void drain(ByteBuffer input, long maxOutput, InflateSink sink)
      throws WsProtocolException {
    if (inflater.finished()) {
      // After a BFINAL block nothing more belongs to this message's stream; ignore it.
      input.position(input.limit());
      return;
    }
    inflater.setInput(input);
    try {
      while (true) {
        messageOutput += inflater.inflate(inflated);
        if (messageOutput > maxOutput) {
          throw new WsProtocolException(
              WsProtocolException.MESSAGE_TOO_BIG,
              "compressed message inflates to more than the limit of " + maxOutput + " bytes");
        }
        if (!inflated.hasRemaining()) {
          // Full: hand it over and go on, so memory stays at one chunk however much is inflated.
          inflated.flip();
          sink.inflated(inflated, false);
          inflated.clear();
          continue;
        }
        if (inflater.finished()) {
          input.position(input.limit());
        } else if (inflater.needsDictionary()) {
          throw new WsProtocolException(
              WsProtocolException.INVALID_PAYLOAD, "compressed message asks for a preset dictionary");
        }
        // Room left in the output means zlib ran out of input: this piece is done.
        break;
      }
    } catch (DataFormatException e) {
      throw new WsProtocolException(
          WsProtocolException.INVALID_PAYLOAD,
          "compressed message is not valid DEFLATE data: " + e.getMessage());
    } finally {
      // Drop the reference so a reused network buffer is not pinned by the Inflater.
      inflater.setInput(EMPTY);
    }
  }

  /** Receives inflated output. */
  public interface InflateSink {
    /**
     * A chunk of inflated bytes, valid only during the call; {@code last} marks the message's end.
     *
     * @throws WsProtocolException to abort (propagates out of {@link #inflate})
     */
    void inflated(ByteBuffer chunk, boolean last) throws WsProtocolException;
  }

  /** Releases the native memory of the Inflater and Deflater; the instance is unusable after. */
  public void end() {
    inflater.end();
    deflater.end();
  }
}
