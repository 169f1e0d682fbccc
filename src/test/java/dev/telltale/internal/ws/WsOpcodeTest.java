package dev.telltale.internal.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WsOpcodeTest {
  @Test
  void classifiesAllSixteenOpcodes() {
    StringBuilder known = new StringBuilder();
    StringBuilder control = new StringBuilder();
    for (int op = 0; op < 16; op++) {
      known.append(WsOpcode.isKnown(op) ? 'K' : '-');
      control.append(WsOpcode.isControl(op) ? 'C' : '-');
    }
    assertEquals("KKK-----KKK-----", known.toString());
    assertEquals("--------CCCCCCCC", control.toString());
  }

  @Test
  void namesOpcodes() {
    assertEquals("CONTINUATION", WsOpcode.name(0));
    assertEquals("PONG", WsOpcode.name(WsOpcode.PONG));
    assertEquals("opcode 0xb", WsOpcode.name(11));
  }

  @Test
  void closeCodesValidOnTheWire() {
    StringBuilder s = new StringBuilder();
    for (int code : new int[] {999, 1000, 1003, 1004, 1005, 1006, 1007, 1014, 1015, 2999, 3000, 4999, 5000}) {
      s.append(CloseCodes.isValidOnWire(code) ? 'Y' : 'n');
    }
    assertEquals("nYYnnnYYnnYYn", s.toString());
  }
}
