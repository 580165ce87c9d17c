package dev.portcullis.server.gateway;

import dev.portcullis.state.jobs.JobInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code ListDeadLetters}'s {@code nextToken}: the position after the last dead letter listed
 * (enqueue time, then invocation id), opaque to callers. A token carries no authority: the next
 * page is filtered by the API named in the request, whatever the token says.
 */
final class DeadLetterToken {

    private static final String VERSION = "dl1:";

    private DeadLetterToken() {
    }

    static String encode(JobInfo.Cursor cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (VERSION + cursor.createdAtMillis() + ":" + cursor.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when {@code token} is not one this API issued. */
    static Optional<JobInfo.Cursor> decode(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!s.startsWith(VERSION)) {
                return Optional.empty();
            }
            int colon = s.indexOf(':', VERSION.length());
            if (colon < 0 || colon == s.length() - 1 || s.length() > 200) {
                return Optional.empty();
            }
            return Optional.of(new JobInfo.Cursor(Long.parseLong(s.substring(VERSION.length(), colon)),
                    s.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
