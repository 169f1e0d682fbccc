package dev.telltale.internal.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Plays server bytes into the codec the way the engine does, each read its own buffer placed between
 * junk bytes (so code that indexes from 0 or reads past the limit fails), in heap, direct and
 * little-endian buffers. {@link #frameWays} and {@link #messageWays} run a case whole, one byte per
 * read and split at every point (sampled for long inputs), and require the same outcome each way.
 *
 * <p>Frame level: split data frames arrive in pieces (see {@link FrameReader}); the player checks
 * each piece's flags and joins the pieces of one wire frame again, so every way yields the same
 * frames. Message level: data pieces are joined into messages; a message not yet complete when an
 * error ends the play is not reported, since how much of it got delivered depends on the split.
 */
final class Player {
  private static final int PAD = 3;
  private static final int ALL_SPLITS_UP_TO = 600;

  long maxFramePayload = Long.MAX_VALUE;
  boolean rsv1Allowed;
  long maxMessageSize = Long.MAX_VALUE;
  /** Makes the deflate state for one play (fresh per way, as it is stateful); null for none. */
  Supplier<PerMessageDeflate> deflate;

  Player maxFramePayload(long max) {
    maxFramePayload = max;
    return this;
  }

  Player maxMessageSize(long max) {
    maxMessageSize = max;
    return this;
  }

  Player deflate(String negotiated) {
    rsv1Allowed = true;
    deflate =
        () -> {
          try {
            return PerMessageDeflate.negotiate(negotiated);
          } catch (WsProtocolException e) {
            throw new AssertionError(e);
          }
        };
    return this;
  }

  /** Every way of cutting {@code length} bytes into reads, described for assertion messages. */
  static List<int[]> ways(int length) {
    List<int[]> ways = new ArrayList<>();
    ways.add(new int[0]);
    int[] every = new int[Math.max(0, length - 1)];
    for (int i = 0; i < every.length; i++) {
      every[i] = i + 1;
    }
    ways.add(every);
    for (int cut = 1; cut < length; cut++) {
      if (length <= ALL_SPLITS_UP_TO || cut < 80 || cut > length - 80 || cut % 997 == 0) {
        ways.add(new int[] {cut});
      }
    }
    return ways;
  }

  static String describe(int[] cuts) {
    return cuts.length == 0
        ? "whole"
        : cuts.length == 1 ? "split at " + cuts[0] : "one byte per read";
  }

  /** Frames decoded from {@code wire} (identical every way), then "ERROR code: message" if any. */
  List<String> frameWays(byte[] wire) {
    return allWays(wire, this::frames);
  }

  /** Decodes {@code wire} and expects failure with {@code closeCode}; returns the message. */
  String frameFailure(byte[] wire, int closeCode) {
    return failure(frameWays(wire), closeCode);
  }

  /** Messages and control frames from {@code wire}, identical every way, then any error. */
  List<String> messageWays(byte[] wire) {
    return allWays(wire, this::messages);
  }

  /** Plays {@code wire} and expects failure with {@code closeCode}; returns the message. */
  String messageFailure(byte[] wire, int closeCode) {
    return failure(messageWays(wire), closeCode);
  }

  private static List<String> allWays(byte[] wire, BiFunction<byte[], int[], List<String>> play) {
    List<String> expected = null;
    for (int[] cuts : ways(wire.length)) {
      List<String> actual = play.apply(wire, cuts);
      if (expected == null) {
        expected = actual;
      } else {
        assertEquals(expected, actual, describe(cuts));
      }
    }
    return expected;
  }

  private static String failure(List<String> out, int closeCode) {
    String prefix = "ERROR " + closeCode + ": ";
    String last = out.isEmpty() ? "" : out.get(out.size() - 1);
    assertTrue(last.startsWith(prefix), () -> "expected failure: " + out);
    return last.substring(prefix.length());
  }

  List<String> frames(byte[] wire, int[] cuts) {
    FrameReader reader = new FrameReader(maxFramePayload, rsv1Allowed);
    List<String> out = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    int[] first = {-1, 0}; // opcode and rsv1 of the wire frame being joined; -1 between frames
    FrameReader.Sink sink =
        (fin, rsv1, opcode, payload) -> {
          if (first[0] < 0) {
            first[0] = opcode;
            first[1] = rsv1 ? 1 : 0;
          } else {
            assertEquals(WsOpcode.CONTINUATION, opcode, "later piece of a split frame");
            assertFalse(rsv1, "RSV1 on a later piece");
          }
          byte[] b = Wire.copy(payload);
          joined.write(b, 0, b.length);
          if (reader.atFrameBoundary()) {
            out.add(
                (fin ? "FIN " : "")
                    + (first[1] == 1 ? "RSV1 " : "")
                    + WsOpcode.name(first[0])
                    + " "
                    + Wire.hex(joined.toByteArray()));
            joined.reset();
            first[0] = -1;
          } else {
            assertFalse(fin, "FIN on a piece that does not end its frame");
          }
        };
    try {
      feed(wire, cuts, src -> reader.decode(src, sink));
      if (!reader.atFrameBoundary()) {
        out.add("INCOMPLETE");
      }
    } catch (WsProtocolException e) {
      out.add("ERROR " + e.closeCode() + ": " + e.getMessage());
    }
    return out;
  }

  List<String> messages(byte[] wire, int[] cuts) {
    Recorder recorder = new Recorder();
    PerMessageDeflate pmd = deflate == null ? null : deflate.get();
    MessageAssembler assembler = new MessageAssembler(maxMessageSize, pmd, recorder);
    FrameReader reader = new FrameReader(maxFramePayload, rsv1Allowed);
    try {
      feed(wire, cuts, src -> reader.decode(src, assembler::frame));
    } catch (WsProtocolException e) {
      recorder.events.add("ERROR " + e.closeCode() + ": " + e.getMessage());
    } finally {
      if (pmd != null) {
        pmd.end();
      }
    }
    return recorder.events;
  }

  /** Joins data pieces into messages: "TEXT hello", "BINARY 00ff"; controls as they come. */
  static final class Recorder implements MessageAssembler.Listener {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream message = new ByteArrayOutputStream();
    Boolean messageIsText;
    int pieces;

    @Override
    public void data(boolean text, ByteBuffer bytes, boolean last) {
      if (messageIsText != null) {
        assertEquals(messageIsText, text, "type changed within a message");
      }
      messageIsText = text;
      pieces++;
      byte[] b = Wire.copy(bytes);
      message.write(b, 0, b.length);
      if (last) {
        events.add(
            text
                ? "TEXT " + message.toString(StandardCharsets.UTF_8)
                : "BINARY " + Wire.hex(message.toByteArray()));
        message.reset();
        messageIsText = null;
      }
    }

    @Override
    public void ping(ByteBuffer payload) {
      events.add("PING " + Wire.hex(payload));
    }

    @Override
    public void pong(ByteBuffer payload) {
      events.add("PONG " + Wire.hex(payload));
    }

    @Override
    public void close(int code, String reason) {
      events.add("CLOSE " + code + " " + reason);
    }
  }

  interface Decode {
    void decode(ByteBuffer src) throws WsProtocolException;
  }

  /**
   * Hands {@code wire} to {@code decode} in reads ending at each cut; checks every read is consumed
   * and its limit left alone.
   */
  static void feed(byte[] wire, int[] cuts, Decode decode) throws WsProtocolException {
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : wire.length;
      ByteBuffer src = padded(wire, from, to, cuts.length == 0 ? 0 : cuts.length == 1 ? 1 : 2);
      int end = src.limit();
      from = to;
      decode.decode(src);
      assertEquals(0, src.remaining(), "read not consumed");
      assertEquals(end, src.limit(), "limit moved");
    }
  }

  /**
   * Bytes {@code from..to} of {@code wire} between junk, in a heap (kind 0), little-endian heap (1)
   * or direct (2) buffer.
   */
  static ByteBuffer padded(byte[] wire, int from, int to, int kind) {
    int n = to - from;
    byte[] array = new byte[n + 2 * PAD];
    Arrays.fill(array, (byte) 0xC1); // never valid in UTF-8, nor a sensible frame header
    System.arraycopy(wire, from, array, PAD, n);
    ByteBuffer b;
    if (kind == 2) {
      b = ByteBuffer.allocateDirect(array.length);
      b.put(array).position(PAD).limit(PAD + n);
    } else {
      b = ByteBuffer.wrap(array, PAD, n);
      if (kind == 1) {
        b.order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    return b;
  }
}
