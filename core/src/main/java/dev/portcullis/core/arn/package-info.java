/**
 * Amazon Resource Names: parsing, validation and formatting of
 * {@code arn:partition:service:region:account-id:resource}, as described in
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html">IAM identifiers / ARNs</a>.
 * The policy engine, the state model and the server all name things with {@link dev.portcullis.core.arn.Arn}.
 */
package dev.portcullis.core.arn;
