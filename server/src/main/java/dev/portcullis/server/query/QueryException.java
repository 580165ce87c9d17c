package dev.portcullis.server.query;

/**
 * An error answered in the Query protocol's {@code ErrorResponse} shape. Carries AWS's code, message
 * and HTTP status; the message never holds a secret. No stack trace is captured: these are answers,
 * not bugs.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    public QueryException(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** {@code Sender} for 4xx, {@code Receiver} for 5xx, as in AWS's error documents. */
    public String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }

    /** AWS's wording for a missing required member, e.g. {@code Value null at 'userName' ...}. */
    public static QueryException missing(String parameter) {
        return new QueryException("ValidationError",
                "1 validation error detected: Value null at '" + lowerFirst(parameter)
                        + "' failed to satisfy constraint: Member must not be null", 400);
    }

    /** A parameter whose value breaks a constraint (length, pattern, range). */
    public static QueryException invalid(String parameter, String value, String constraint) {
        String shown = value == null ? "null" : "'" + truncate(value) + "'";
        return new QueryException("ValidationError", "1 validation error detected: Value " + shown + " at '"
                + lowerFirst(parameter) + "' failed to satisfy constraint: " + constraint, 400);
    }

    private static String truncate(String value) {
        return value.length() > 128 ? value.substring(0, 128) + "..." : value;
    }

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
