package dev.telltale;

import static dev.telltale.CallbackStatus.CLOSE_COMPLETE;
import static dev.telltale.CallbackStatus.DATA_AVAILABLE;
import static dev.telltale.CallbackStatus.GETPROXYFORURL_COMPLETE;
import static dev.telltale.CallbackStatus.HANDLE_CLOSING;
import static dev.telltale.CallbackStatus.HEADERS_AVAILABLE;
import static dev.telltale.CallbackStatus.NAME_RESOLVED;
import static dev.telltale.CallbackStatus.READ_COMPLETE;
import static dev.telltale.CallbackStatus.REDIRECT;
import static dev.telltale.CallbackStatus.REQUEST_ERROR;
import static dev.telltale.CallbackStatus.RESOLVING_NAME;
import static dev.telltale.CallbackStatus.SENDREQUEST_COMPLETE;
import static dev.telltale.CallbackStatus.SHUTDOWN_COMPLETE;
import static dev.telltale.CallbackStatus.WRITE_COMPLETE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationFlagsTest {

  @Test
  void namedConstantsHaveWinhttpHMasks() {
    assertEquals(0x3, NotificationFlags.RESOLVE_NAME.mask());
    assertEquals(0xC, NotificationFlags.CONNECT_TO_SERVER.mask());
    assertEquals(0x30, NotificationFlags.SEND_REQUEST.mask());
    assertEquals(0xC0, NotificationFlags.RECEIVE_RESPONSE.mask());
    assertEquals(0x300, NotificationFlags.CLOSE_CONNECTION.mask());
    assertEquals(0xC00, NotificationFlags.HANDLES.mask());
    assertEquals(0x1000, NotificationFlags.DETECTING_PROXY.mask());
    assertEquals(0x4000, NotificationFlags.REDIRECT.mask());
    assertEquals(0x8000, NotificationFlags.INTERMEDIATE_RESPONSE.mask());
    assertEquals(0x10000, NotificationFlags.SECURE_FAILURE.mask());
    assertEquals(0x20000, NotificationFlags.HEADERS_AVAILABLE.mask());
    assertEquals(0x40000, NotificationFlags.DATA_AVAILABLE.mask());
    assertEquals(0x80000, NotificationFlags.READ_COMPLETE.mask());
    assertEquals(0x100000, NotificationFlags.WRITE_COMPLETE.mask());
    assertEquals(0x200000, NotificationFlags.REQUEST_ERROR.mask());
    assertEquals(0x400000, NotificationFlags.SENDREQUEST_COMPLETE.mask());
    assertEquals(0x1000000, NotificationFlags.GETPROXYFORURL_COMPLETE.mask());
    assertEquals(0x2000000, NotificationFlags.CLOSE_COMPLETE.mask());
    assertEquals(0x4000000, NotificationFlags.SHUTDOWN_COMPLETE.mask());
    assertEquals(0x017E0000, NotificationFlags.ALL_COMPLETIONS.mask());
    assertEquals(0xFFFFFFFF, NotificationFlags.ALL_NOTIFICATIONS.mask());
    assertEquals(0, NotificationFlags.NONE.mask());
  }

  @Test
  void resolveNameIsResolvingAndResolved() {
    assertEquals(
        EnumSet.of(RESOLVING_NAME, NAME_RESOLVED), NotificationFlags.RESOLVE_NAME.statuses());
  }

  @Test
  void allCompletionsLeavesOutWebSocketCloseAndShutdownAsWinhttpDoes() {
    NotificationFlags all = NotificationFlags.ALL_COMPLETIONS;
    assertEquals(
        EnumSet.of(
            HEADERS_AVAILABLE,
            DATA_AVAILABLE,
            READ_COMPLETE,
            WRITE_COMPLETE,
            REQUEST_ERROR,
            SENDREQUEST_COMPLETE,
            GETPROXYFORURL_COMPLETE),
        all.statuses());
    assertFalse(all.contains(CLOSE_COMPLETE));
    assertFalse(all.contains(SHUTDOWN_COMPLETE));
  }

  @Test
  void allNotificationsContainsEveryStatus() {
    for (CallbackStatus s : CallbackStatus.values()) {
      assertTrue(NotificationFlags.ALL_NOTIFICATIONS.contains(s), s.name());
    }
    assertEquals(
        EnumSet.allOf(CallbackStatus.class), NotificationFlags.ALL_NOTIFICATIONS.statuses());
  }

  @Test
  void noneContainsNothing() {
    for (CallbackStatus s : CallbackStatus.values()) {
      assertFalse(NotificationFlags.NONE.contains(s), s.name());
    }
    assertTrue(NotificationFlags.NONE.statuses().isEmpty());
    assertSame(NotificationFlags.NONE, NotificationFlags.of());
    assertSame(NotificationFlags.NONE, NotificationFlags.union());
  }

  @Test
  void containsIsExactForEverySingleStatus() {
    for (CallbackStatus s : CallbackStatus.values()) {
      NotificationFlags one = NotificationFlags.of(s);
      for (CallbackStatus t : CallbackStatus.values()) {
        assertEquals(s == t, one.contains(t), s + " contains " + t);
      }
    }
  }

  @Test
  void maskRoundTripsThroughFromMask() {
    for (int m : new int[] {0, 1, 0x3, 0xC00, 0x017E0000, 0x2000, 0x80000000, -1, 0x7FFFFFFF}) {
      assertEquals(m, NotificationFlags.fromMask(m).mask());
    }
    for (CallbackStatus s : CallbackStatus.values()) {
      assertEquals(NotificationFlags.of(s), NotificationFlags.fromMask(s.value()));
    }
    assertSame(NotificationFlags.ALL_NOTIFICATIONS, NotificationFlags.fromMask(0xFFFFFFFF));
    assertSame(NotificationFlags.NONE, NotificationFlags.fromMask(0));
  }

  @Test
  void fromMaskKeepsUnknownBitsButTheyMatchNoStatus() {
    NotificationFlags f = NotificationFlags.fromMask(0x2000 | 0x1);
    assertEquals(Set.of(RESOLVING_NAME), f.statuses());
    assertEquals("RESOLVING_NAME|0x2000", f.toString());
  }

  @Test
  void unionCombinesMasks() {
    NotificationFlags u =
        NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS, NotificationFlags.HANDLES);
    assertEquals(0x017E0000 | 0xC00, u.mask());
    assertTrue(u.contains(HANDLE_CLOSING));
    assertTrue(u.contains(READ_COMPLETE));
    assertFalse(u.contains(RESOLVING_NAME));
    assertEquals(
        NotificationFlags.RESOLVE_NAME,
        NotificationFlags.union(
            NotificationFlags.of(RESOLVING_NAME), NotificationFlags.of(NAME_RESOLVED)));
  }

  @Test
  void ofWithRepeatedStatusesIsTheSet() {
    assertEquals(NotificationFlags.of(REDIRECT), NotificationFlags.of(REDIRECT, REDIRECT));
  }

  @Test
  void equalityFollowsTheMask() {
    assertEquals(NotificationFlags.fromMask(0x30), NotificationFlags.SEND_REQUEST);
    assertEquals(
        NotificationFlags.fromMask(0x30).hashCode(), NotificationFlags.SEND_REQUEST.hashCode());
    assertNotEquals(NotificationFlags.SEND_REQUEST, NotificationFlags.RECEIVE_RESPONSE);
  }

  @Test
  void toStringJoinsNamesWithBarAndNamesTheExtremes() {
    assertEquals("SENDING_REQUEST|REQUEST_SENT", NotificationFlags.SEND_REQUEST.toString());
    assertEquals("ALL_NOTIFICATIONS", NotificationFlags.ALL_NOTIFICATIONS.toString());
    assertEquals("NONE", NotificationFlags.NONE.toString());
    assertEquals("HANDLE_CREATED|HANDLE_CLOSING", NotificationFlags.HANDLES.toString());
  }

  @Test
  void statusesIsUnmodifiable() {
    assertThrows(
        UnsupportedOperationException.class,
        () -> NotificationFlags.HANDLES.statuses().add(REDIRECT));
  }

  @Test
  void nullsAreRejected() {
    assertThrows(NullPointerException.class, () -> NotificationFlags.of((CallbackStatus) null));
    assertThrows(
        NullPointerException.class, () -> NotificationFlags.union((NotificationFlags) null));
    assertThrows(NullPointerException.class, () -> NotificationFlags.HANDLES.contains(null));
  }
}
