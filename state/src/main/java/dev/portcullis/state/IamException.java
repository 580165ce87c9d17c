package dev.portcullis.state;

/**
 * A rejected IAM mutation or lookup, with AWS's error code, AWS's message and the HTTP status the
 * IAM Query API answers with. Never carries a secret. Checked, so callers map it to the wire.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html">IAM common errors</a>
 */
public final class IamException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    public IamException(String code, String message, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** AWS's error code, e.g. {@code NoSuchEntity}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static IamException noSuchEntity(String message) {
        return new IamException("NoSuchEntity", message, 404);
    }

    /** "The user with name X cannot be found." */
    public static IamException noSuchEntity(String word, String name) {
        return noSuchEntity("The " + word + " with name " + name + " cannot be found.");
    }

    public static IamException alreadyExists(String message) {
        return new IamException("EntityAlreadyExists", message, 409);
    }

    public static IamException limitExceeded(String message) {
        return new IamException("LimitExceeded", message, 409);
    }

    public static IamException deleteConflict(String message) {
        return new IamException("DeleteConflict", message, 409);
    }

    public static IamException malformedPolicy(String message) {
        return new IamException("MalformedPolicyDocument", message, 400);
    }

    public static IamException validation(String message) {
        return new IamException("ValidationError", message, 400);
    }

    public static IamException invalidInput(String message) {
        return new IamException("InvalidInput", message, 400);
    }

    @Override
    public String toString() {
        return "IamException[" + code + ", " + httpStatus + "]: " + getMessage();
    }
}
