/**
 * AWS Signature Version 4: a signer (for our CLI and tests) and a verifier (for the server), both
 * header form ({@code Authorization: AWS4-HMAC-SHA256 …}) and query form (presigned URLs).
 *
 * <p>The public door is small:
 * <ul>
 *   <li>{@link dev.portcullis.core.sigv4.SigV4Verifier#verify} checks a {@link dev.portcullis.core.sigv4.SigV4Request}
 *       and returns a {@link dev.portcullis.core.sigv4.VerifiedRequest} or throws a
 *       {@link dev.portcullis.core.sigv4.SigV4Exception} whose {@link dev.portcullis.core.sigv4.SigV4Error} carries
 *       AWS's code, message and HTTP status;</li>
 *   <li>{@link dev.portcullis.core.sigv4.CredentialLookup} is how the verifier learns secrets, without knowing storage;</li>
 *   <li>{@link dev.portcullis.core.sigv4.SigV4Signer} signs requests and presigns URLs.</li>
 * </ul>
 * Canonicalization, parsing, key derivation and the signing-key cache are package-private.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 */
package dev.portcullis.core.sigv4;
