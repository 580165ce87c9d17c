package dev.portcullis.state.model;

import java.security.SecureRandom;

/**
 * AWS-format unique ids: a four-letter prefix and 16 characters from AWS's id alphabet (upper-case
 * letters and the digits 2–7, base32), 20 characters in all ({@code AIDA…}, {@code AROA…}, {@code
 * ANPA…}, {@code AGPA…}, {@code AKIA…}), and 40-character access key secrets. Uses {@link
 * SecureRandom}; thread-safe.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html">IAM identifiers</a>
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private Ids() {
    }

    public static String userId() {
        return unique("AIDA");
    }

    public static String roleId() {
        return unique("AROA");
    }

    public static String policyId() {
        return unique("ANPA");
    }

    public static String groupId() {
        return unique("AGPA");
    }

    public static String accessKeyId() {
        return unique("AKIA");
    }

    /** A 40-character secret access key. */
    public static char[] secretAccessKey() {
        char[] out = new char[40];
        for (int i = 0; i < out.length; i++) {
            out[i] = SECRET[RANDOM.nextInt(SECRET.length)];
        }
        return out;
    }

    /** A 12-digit account id that does not start with 0. */
    public static String accountId() {
        StringBuilder b = new StringBuilder(12).append((char) ('1' + RANDOM.nextInt(9)));
        for (int i = 1; i < 12; i++) {
            b.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return b.toString();
    }

    static String unique(String prefix) {
        StringBuilder b = new StringBuilder(20).append(prefix);
        for (int i = 0; i < 16; i++) {
            b.append(BASE32[RANDOM.nextInt(32)]);
        }
        return b.toString();
    }
}
