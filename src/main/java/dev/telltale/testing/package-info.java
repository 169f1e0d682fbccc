/**
 * A test kit for code that uses telltale: {@link dev.telltale.testing.RecordingCallback} records
 * status notifications as lines of text, asserts whole sequences as text tables and checks the
 * callback's guarantees (one {@code HANDLE_CLOSING} per handle and nothing after it, a parent's
 * closing after its children's, never two callbacks for one handle at once) on every event. It
 * depends on nothing but telltale; failures are plain {@link java.lang.AssertionError}s.
 */
package dev.telltale.testing;
