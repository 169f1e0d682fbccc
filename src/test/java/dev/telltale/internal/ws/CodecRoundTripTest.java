package dev.telltale.internal.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random conversations, as a server would send them: text and binary messages of random size and
 * content (multi-byte UTF-8 included), fragmented at random with pings interleaved, compressed or not,
 * then read back through {@link FrameReader} and {@link MessageAssembler} in reads of random size.
 * Seeded, so a failure reproduces.
 */
class CodecRoundTripTest {
  private static final String[] PIECES = {"a", "Hello", " ", "é", "€", "😀", "日本語", "\u0000", "\uFFFD"};

  @ParameterizedTest
  @ValueSource(strings = {"", "permessage-deflate", "permessage-deflate; server_no_context_takeover"})
  void randomConversationsSurviveAnySplit(String extension) throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      Random random = new Random(seed * 31L + extension.length());
      PerMessageDeflate serverSide =
          extension.isEmpty() ? null : PerMessageDeflate.negotiate(serverView(extension));
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      List<String> expected = new ArrayList<>();
      for (int m = 0; m < 30; m++) {
        boolean text = random.nextBoolean();
        byte[] message = text ? randomText(random) : randomBinary(random);
        expected.add(
            text
                ? "TEXT " + new String(message, StandardCharsets.UTF_8)
                : "BINARY " + Wire.hex(message));
        boolean compress = serverSide != null && random.nextInt(3) > 0;
        byte[] payload = compress ? Wire.copy(serverSide.compress(ByteBuffer.wrap(message))) : message;
        writeFragmented(wire, random, text, compress, payload, expected);
      }
      if (serverSide != null) {
        serverSide.end();
      }
      byte[] bytes = wire.toByteArray();
      Player player = new Player();
      if (!extension.isEmpty()) {
        player.deflate(extension);
      }
      int[] cuts = randomCuts(random, bytes.length);
      assertEquals(expected, player.messages(bytes, cuts), "seed " + seed);
    }
  }

  /**
   * The server compresses with the parameters as it sees them: our server_no_context_takeover is
   * its own, so give it to the sender as the "client" flag that makes {@code compress} reset.
   */
  private static String serverView(String extension) {
    return extension.replace("server_no_context_takeover", "client_no_context_takeover");
  }

  private static void writeFragmented(
      ByteArrayOutputStream wire,
      Random random,
      boolean text,
      boolean compressed,
      byte[] payload,
      List<String> expected) {
    int frames = 1 + random.nextInt(4);
    int from = 0;
    for (int f = 0; f < frames; f++) {
      boolean last = f == frames - 1;
      int to = last ? payload.length : from + random.nextInt(payload.length - from + 1);
      int opcode = f == 0 ? (text ? WsOpcode.TEXT : WsOpcode.BINARY) : WsOpcode.CONTINUATION;
      int b0 = (last ? 0x80 : 0) | (f == 0 && compressed ? 0x40 : 0) | opcode;
      byte[] part = new byte[to - from];
      System.arraycopy(payload, from, part, 0, part.length);
      byte[] frame = Wire.frame(b0, part);
      wire.write(frame, 0, frame.length);
      from = to;
      if (!last && random.nextInt(3) == 0) {
        byte[] ping = new byte[random.nextInt(6)];
        random.nextBytes(ping);
        byte[] pingFrame = Wire.frame(true, WsOpcode.PING, ping);
        wire.write(pingFrame, 0, pingFrame.length);
        // The ping is delivered at once, before the message it interrupts.
        expected.add(expected.size() - 1, "PING " + Wire.hex(ping));
      }
    }
  }

  private static byte[] randomText(Random random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(10) == 0 ? 5000 : random.nextInt(60);
    for (int i = 0; i < n; i++) {
      s.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBinary(Random random) {
    byte[] b = new byte[random.nextInt(10) == 0 ? 70_000 : random.nextInt(300)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (random.nextBoolean() ? random.nextInt(256) : i % 5);
    }
    return b;
  }

  private static int[] randomCuts(Random random, int length) {
    List<Integer> cuts = new ArrayList<>();
    int at = 0;
    while (true) {
      at += 1 + random.nextInt(random.nextBoolean() ? 7 : 3000);
      if (at >= length) {
        break;
      }
      cuts.add(at);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }
}
