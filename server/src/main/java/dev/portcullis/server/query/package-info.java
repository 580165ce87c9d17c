/**
 * The AWS Query protocol that IAM (2010-05-08) and STS (2011-06-15) speak: form-encoded parameters
 * in, XML out. {@link dev.portcullis.server.query.QueryParameters} reads the flattened parameter
 * forms ({@code Tags.member.1.Key}); {@link dev.portcullis.server.query.QueryXml} writes responses and
 * errors in the shape the AWS SDKs and CLI parse; {@link dev.portcullis.server.query.QueryException}
 * is a client- or server-side error with AWS's code, message and HTTP status.
 */
package dev.portcullis.server.query;
