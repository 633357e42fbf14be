package dev.amend;

/**
 * A problem with what the user gave amend (a missing file, a wrong shape, an unknown name):
 * its message is one line that names the problem and is shown as is, without a stack trace.
 * Programming errors stay ordinary exceptions.
 */
public class AmendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AmendException(String message) {
        super(message);
    }

    public AmendException(String message, Throwable cause) {
        super(message, cause);
    }
}
