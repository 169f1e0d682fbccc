package dev.telltale;

import java.util.Objects;

/**
 * A call was rejected when it was made: the Java form of a WinHTTP function returning {@code FALSE}
 * (or {@code NULL}) with {@code GetLastError()} set, for failures that are the caller's, such as
 * using a closed handle ({@link ErrorCode#INVALID_HANDLE}) or setting an option on the wrong kind
 * of handle ({@link ErrorCode#INCORRECT_HANDLE_TYPE}).
 *
 * <p>Asynchronous operations do not throw this for problems found later; those are reported as an
 * {@link HttpException}. Plainly bad arguments (null, out of range, CR/LF in a header) throw {@link
 * IllegalArgumentException} or {@link NullPointerException} instead, as Java callers expect.
 */
public class HandleException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The error code; never null. */
  private final ErrorCode code;

  /**
   * Creates an exception with a code and a message.
   *
   * @param code the WinHTTP error, not null
   * @param message what was rejected and why
   */
  public HandleException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Creates an exception with a code, a message and the underlying cause.
   *
   * @param code the WinHTTP error, not null
   * @param message what was rejected and why
   * @param cause the underlying exception, or null
   */
  public HandleException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Returns the WinHTTP error that {@code GetLastError()} would report for this call.
   *
   * @return the code, never null
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns the class name, the code's name and number, and the message, e.g. {@code
   * dev.telltale.HandleException: INVALID_HANDLE (6): request is closed}.
   */
  @Override
  public String toString() {
    return code.describe(getClass(), getLocalizedMessage());
  }
}
