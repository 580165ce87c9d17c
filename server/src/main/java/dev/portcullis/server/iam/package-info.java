/**
 * The IAM Query API (version 2010-05-08): {@link dev.portcullis.server.iam.IamApi} resolves each
 * action (CreateUser, AttachRolePolicy, SimulatePrincipalPolicy, …) to the IAM action and resource
 * ARN the pipeline authorizes, validates parameters with AWS's wording before authorization, and
 * answers in the XML shape of the IAM API Reference. Writes go to {@link dev.portcullis.state.IamState};
 * reads come from the snapshot the request was authorized against. The package-private classes group
 * the operations by entity (users, groups, roles, policies, access keys, account, simulator).
 */
package dev.portcullis.server.iam;
