package dev.telltale.internal.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {
  /** Hex bytes and whether they are valid UTF-8, after the Autobahn test suite's section 6 cases. */
  @ParameterizedTest(name = "{0} valid={1}")
  @CsvSource({
    "'', true",
    "48656c6c6f, true",
    // 2-, 3- and 4-byte characters, and the boundaries of each length (6.2, 6.6-6.8)
    "c2a9, true",
    "e282ac, true",
    "f09f9880, true",
    "cebae1bdb9cf83cebcceb5, true",
    "7f, true",
    "c280, true",
    "dfbf, true",
    "e0a080, true",
    "efbfbf, true",
    "f0908080, true",
    "f48fbfbf, true",
    // last code point before the surrogates and first after (6.9)
    "ed9fbf, true",
    "ee8080, true",
    "efbfbd, true",
    // noncharacters are valid UTF-8 (6.22)
    "efbfbe, true",
    "f09fbfbf, true",
    // beyond U+10FFFF and the 5-/6-byte forms (6.3, 6.8)
    "f4908080, false",
    "f7bfbfbf, false",
    "f888808080, false",
    "fc8480808080, false",
    // lone continuation bytes and lead bytes without their continuation (6.10-6.13)
    "80, false",
    "bf, false",
    "80bf, false",
    "c0, false",
    "c2, false",
    "e0a0, false",
    "f09f98, false",
    "c220, false",
    "e02080, false",
    "f0909020, false",
    "fe, false",
    "ff, false",
    "fefeffff, false",
    // overlong forms (6.16-6.18)
    "c0af, false",
    "c1bf, false",
    "e080af, false",
    "e09fbf, false",
    "f08080af, false",
    "f08fbfbf, false",
    "c080, false",
    // UTF-16 surrogates, single and paired (6.19-6.21)
    "eda080, false",
    "edbfbf, false",
    "edadbf, false",
    "edb080, false",
    "eda080edb080, false",
    "edafbfedbfbf, false",
    // the Autobahn case 6.4.1-style: valid text then an error in the middle
    "cebae1bdb9cf83cebcceb5eda080656469746564, false",
    "cebae1bdb9cf83cebcceb5f4908080656469746564, false",
  })
  void autobahnStyleTable(String hex, boolean valid) {
    byte[] bytes = unhex(hex);
    assertEquals(valid, validateWhole(bytes, 0), "whole");
    assertEquals(valid, validateWhole(bytes, 1), "whole little-endian");
    for (int[] cuts : Player.ways(bytes.length)) {
      assertEquals(valid, validateInPieces(bytes, cuts), Player.describe(cuts));
    }
    // Padded with ASCII long enough to take the 8-bytes-at-a-time path on both sides.
    byte[] padded = concat("Hello, world! ".getBytes(StandardCharsets.US_ASCII), bytes,
        " and goodbye, world.".getBytes(StandardCharsets.US_ASCII));
    assertEquals(valid, validateWhole(padded, 0), "inside ASCII");
  }

  @Test
  void agreesWithTheJdkOnEveryOneAndTwoByteSequence() {
    byte[] b1 = new byte[1];
    byte[] b2 = new byte[2];
    for (int a = 0; a < 256; a++) {
      b1[0] = (byte) a;
      assertEquals(reference(b1), validateWhole(b1, 0), Integer.toHexString(a));
      for (int b = 0; b < 256; b++) {
        b2[0] = (byte) a;
        b2[1] = (byte) b;
        assertEquals(reference(b2), validateWhole(b2, 0), Integer.toHexString(a) + " " + b);
      }
    }
  }

  @Test
  void agreesWithTheJdkOnEveryThreeByteSequenceWithANonAsciiLead() {
    byte[] b = new byte[3];
    Utf8Validator v = new Utf8Validator();
    for (int x = 0x80; x < 256; x++) {
      for (int y = 0; y < 256; y++) {
        for (int z = 0; z < 256; z += (y >= 0x80 && y < 0xC0) ? 1 : 17) {
          b[0] = (byte) x;
          b[1] = (byte) y;
          b[2] = (byte) z;
          v.reset();
          boolean ours = v.feed(ByteBuffer.wrap(b)) && v.complete();
          if (ours != reference(b)) {
            throw new AssertionError(String.format("%02x %02x %02x: ours=%s", x, y, z, ours));
          }
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkOnFourByteSequences() {
    int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    byte[] b = new byte[4];
    for (int x = 0xE0; x < 256; x++) {
      for (int y = 0; y < 256; y++) {
        for (int z : edges) {
          for (int w : edges) {
            b[0] = (byte) x;
            b[1] = (byte) y;
            b[2] = (byte) z;
            b[3] = (byte) w;
            assertEquals(reference(b), validateWhole(b, 0), Arrays.toString(b));
          }
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkOnRandomMostlyValidText() {
    Random random = new Random(7);
    for (int round = 0; round < 2000; round++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        s.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80) : randomScalar(random));
      }
      byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // maybe break it
      }
      boolean expected = reference(bytes);
      assertEquals(expected, validateWhole(bytes, 0));
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      assertEquals(expected, validateInPieces(bytes, cut == 0 ? new int[0] : new int[] {cut}));
    }
  }

  private static int randomScalar(Random random) {
    while (true) {
      int cp = random.nextInt(0x110000);
      if (cp < 0xD800 || cp > 0xDFFF) {
        return cp;
      }
    }
  }

  @Test
  void aBadByteIsFoundAtEveryPositionOfALongAsciiRun() {
    for (int at = 0; at < 40; at++) {
      byte[] bytes = new byte[40];
      Arrays.fill(bytes, (byte) 'a');
      bytes[at] = (byte) 0x80;
      assertFalse(validateWhole(bytes, 0), "bad byte at " + at);
      bytes[at] = (byte) 0xC3; // a lead byte: incomplete unless followed by a continuation
      assertEquals(false, validateWhole(bytes, 0), "lead byte at " + at);
    }
  }

  @Test
  void feedDoesNotMoveThePositionAndAnErrorIsStickyUntilReset() {
    Utf8Validator v = new Utf8Validator();
    ByteBuffer bad = ByteBuffer.wrap(unhex("41ff42"));
    assertFalse(v.feed(bad));
    assertEquals(0, bad.position());
    assertEquals(3, bad.limit());
    assertFalse(v.feed(ByteBuffer.wrap(unhex("41"))), "sticky");
    assertFalse(v.complete());
    v.reset();
    assertTrue(v.feed(ByteBuffer.wrap(unhex("41"))));
    assertTrue(v.complete());
  }

  @Test
  void readsOnlyBetweenPositionAndLimit() {
    byte[] array = unhex("ff41e282ac42ff");
    Utf8Validator v = new Utf8Validator();
    assertTrue(v.feed(ByteBuffer.wrap(array, 1, 5)));
    assertTrue(v.complete());
    assertArrayEquals(unhex("ff41e282ac42ff"), array);
  }

  @Test
  void incompleteAtTheEndIsNotComplete() {
    Utf8Validator v = new Utf8Validator();
    assertTrue(v.feed(ByteBuffer.wrap(unhex("41e282"))), "a valid prefix");
    assertFalse(v.complete());
    assertTrue(v.feed(ByteBuffer.wrap(unhex("ac"))));
    assertTrue(v.complete());
  }

  /** The JDK's view: valid iff decoding and re-encoding gives the same bytes back. */
  private static boolean reference(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    return Arrays.equals(bytes, s.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean validateWhole(byte[] bytes, int kind) {
    Utf8Validator v = new Utf8Validator();
    // kind 1 is a little-endian buffer: the ASCII fast path reads longs.
    return v.feed(Player.padded(bytes, 0, bytes.length, kind)) && v.complete();
  }

  private static boolean validateInPieces(byte[] bytes, int[] cuts) {
    Utf8Validator v = new Utf8Validator();
    int from = 0;
    boolean ok = true;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      ok &= v.feed(Player.padded(bytes, from, to, i % 3));
      from = to;
    }
    return ok && v.complete();
  }

  private static byte[] concat(byte[]... parts) {
    return Wire.concat(parts);
  }

  static byte[] unhex(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
