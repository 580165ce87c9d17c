package dev.portcullis.core.sigv4;

/**
 * The explicit limits the verifier enforces; input beyond them fails with {@code IncompleteSignature}
 * (never an exception or unbounded work).
 */
public final class SigV4Limits {

    /** Longest header value read (Authorization, a signed header, a date …), in characters. */
    public static final int MAX_HEADER_VALUE_LENGTH = 16 * 1024;
    /** Most header lines (in {@link HeaderSource#of}) and most signed headers. */
    public static final int MAX_HEADERS = 200;
    /** Longest canonical form of all signed headers together, in characters. */
    public static final int MAX_CANONICAL_HEADERS_LENGTH = 64 * 1024;
    /** Most query parameters. */
    public static final int MAX_QUERY_PARAMS = 1000;
    /** Longest raw path plus raw query, in characters. */
    public static final int MAX_URI_LENGTH = 16 * 1024;
    /** Longest presigned-URL lifetime in seconds (7 days), as AWS allows. */
    public static final long MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

    private SigV4Limits() {
    }
}
