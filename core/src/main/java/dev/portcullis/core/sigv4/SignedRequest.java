package dev.portcullis.core.sigv4;

import java.util.Map;

/**
 * The output of {@link SigV4Signer}.
 *
 * @param headers          headers to add to the request, in order ({@code X-Amz-Date},
 *                         {@code X-Amz-Security-Token}, {@code X-Amz-Content-Sha256}, {@code Authorization}); for
 *                         a presigned URL only those the caller must still send (none, usually)
 * @param rawQuery         the query string to send (for a presigned URL it carries the {@code X-Amz-*} parameters)
 * @param signature        the hex signature
 * @param canonicalRequest the canonical request that was signed
 * @param stringToSign     the string to sign
 */
public record SignedRequest(Map<String, String> headers, String rawQuery, String signature,
                            String canonicalRequest, String stringToSign) {
}
