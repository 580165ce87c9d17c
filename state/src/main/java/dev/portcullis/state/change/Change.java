package dev.portcullis.state.change;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.SealedSecret;
import dev.portcullis.state.model.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One IAM mutation. Changes are validated against the current view, appended to the log, then
 * applied; they carry their generated ids and times so that every node applies them identically.
 * The static factories ({@code CreateUser.of(…)}) fill in fresh ids and the current time.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(Change.CreateAccount.class), @JsonSubTypes.Type(Change.SetAccountAlias.class),
    @JsonSubTypes.Type(Change.CreateUser.class), @JsonSubTypes.Type(Change.DeleteUser.class),
    @JsonSubTypes.Type(Change.UpdateUser.class), @JsonSubTypes.Type(Change.UpdateGroup.class),
    @JsonSubTypes.Type(Change.CreateGroup.class), @JsonSubTypes.Type(Change.DeleteGroup.class),
    @JsonSubTypes.Type(Change.AddUserToGroup.class), @JsonSubTypes.Type(Change.RemoveUserFromGroup.class),
    @JsonSubTypes.Type(Change.CreateRole.class), @JsonSubTypes.Type(Change.DeleteRole.class),
    @JsonSubTypes.Type(Change.UpdateRole.class), @JsonSubTypes.Type(Change.UpdateAssumeRolePolicy.class),
    @JsonSubTypes.Type(Change.RecordRoleLastUsed.class), @JsonSubTypes.Type(Change.RevokeRoleSessions.class),
    @JsonSubTypes.Type(Change.TagEntity.class), @JsonSubTypes.Type(Change.UntagEntity.class),
    @JsonSubTypes.Type(Change.SetPermissionsBoundary.class),
    @JsonSubTypes.Type(Change.CreatePolicy.class), @JsonSubTypes.Type(Change.DeletePolicy.class),
    @JsonSubTypes.Type(Change.CreatePolicyVersion.class), @JsonSubTypes.Type(Change.DeletePolicyVersion.class),
    @JsonSubTypes.Type(Change.SetDefaultPolicyVersion.class),
    @JsonSubTypes.Type(Change.AttachPolicy.class), @JsonSubTypes.Type(Change.DetachPolicy.class),
    @JsonSubTypes.Type(Change.PutInlinePolicy.class), @JsonSubTypes.Type(Change.DeleteInlinePolicy.class),
    @JsonSubTypes.Type(Change.CreateAccessKey.class), @JsonSubTypes.Type(Change.UpdateAccessKey.class),
    @JsonSubTypes.Type(Change.DeleteAccessKey.class), @JsonSubTypes.Type(Change.RecordAccessKeyLastUsed.class),
    @JsonSubTypes.Type(Change.ResealAccessKey.class),
    @JsonSubTypes.Type(Change.CreateServicePrincipal.class), @JsonSubTypes.Type(Change.DeleteServicePrincipal.class),
    @JsonSubTypes.Type(Change.PutApi.class), @JsonSubTypes.Type(Change.DeleteApi.class),
    @JsonSubTypes.Type(Change.PutStage.class), @JsonSubTypes.Type(Change.PutRoute.class),
    @JsonSubTypes.Type(Change.DeleteRoute.class), @JsonSubTypes.Type(Change.DeleteStage.class),
})
public sealed interface Change {

    /** The log's {@code change_type} column: the record's simple name. */
    default String type() {
        return getClass().getSimpleName();
    }

    record CreateAccount(String accountId, Optional<String> alias, Instant at) implements Change {
        public static CreateAccount of(String accountId) {
            return new CreateAccount(accountId, Optional.empty(), Instant.now());
        }
    }

    record SetAccountAlias(String accountId, Optional<String> alias) implements Change {
    }

    record CreateUser(String accountId, String userName, String path, String userId, List<Tag> tags,
                      Optional<String> permissionsBoundary, Instant at) implements Change {
        public static CreateUser of(String accountId, String userName, String path) {
            return new CreateUser(accountId, userName, path, Ids.userId(), List.of(), Optional.empty(), Instant.now());
        }
    }

    record DeleteUser(String accountId, String userName) implements Change {
    }

    /**
     * Renames and/or moves a user (empty = unchanged). Its id, keys, groups and policies follow it.
     *
     * @see <a href="https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html">UpdateUser</a>
     */
    record UpdateUser(String accountId, String userName, Optional<String> newUserName, Optional<String> newPath)
            implements Change {
    }

    record CreateGroup(String accountId, String groupName, String path, String groupId, Instant at)
            implements Change {
        public static CreateGroup of(String accountId, String groupName, String path) {
            return new CreateGroup(accountId, groupName, path, Ids.groupId(), Instant.now());
        }
    }

    record DeleteGroup(String accountId, String groupName) implements Change {
    }

    /**
     * Renames and/or moves a group (empty = unchanged). Its id, members and policies follow it.
     *
     * @see <a href="https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateGroup.html">UpdateGroup</a>
     */
    record UpdateGroup(String accountId, String groupName, Optional<String> newGroupName, Optional<String> newPath)
            implements Change {
    }

    record AddUserToGroup(String accountId, String groupName, String userName) implements Change {
    }

    record RemoveUserFromGroup(String accountId, String groupName, String userName) implements Change {
    }

    record CreateRole(String accountId, String roleName, String path, String roleId, String assumeRolePolicyDocument,
                      int maxSessionDurationSeconds, String description, List<Tag> tags,
                      Optional<String> permissionsBoundary, Instant at) implements Change {
        public static CreateRole of(String accountId, String roleName, String path, String trustPolicy) {
            return new CreateRole(accountId, roleName, path, Ids.roleId(), trustPolicy, 3600, "", List.of(),
                    Optional.empty(), Instant.now());
        }
    }

    record DeleteRole(String accountId, String roleName) implements Change {
    }

    /** Changes a role's maximum session duration and/or description (empty = unchanged). */
    record UpdateRole(String accountId, String roleName, Optional<Integer> maxSessionDurationSeconds,
                      Optional<String> description) implements Change {
    }

    record UpdateAssumeRolePolicy(String accountId, String roleName, String document) implements Change {
    }

    record RecordRoleLastUsed(String accountId, String roleName, Instant at, String region) implements Change {
    }

    /** Denies the role's sessions issued before {@code issuedBefore}. */
    record RevokeRoleSessions(String accountId, String roleName, Instant issuedBefore) implements Change {
    }

    /** Adds or replaces tags on a user or role. */
    record TagEntity(String accountId, PrincipalKind kind, String name, List<Tag> tags) implements Change {
    }

    record UntagEntity(String accountId, PrincipalKind kind, String name, List<String> tagKeys) implements Change {
    }

    /** Sets (or with an empty ARN, deletes) the permissions boundary of a user or role. */
    record SetPermissionsBoundary(String accountId, PrincipalKind kind, String name, Optional<String> policyArn)
            implements Change {
    }

    record CreatePolicy(String accountId, String policyName, String path, String policyId, String description,
                        String document, Instant at) implements Change {
        public static CreatePolicy of(String accountId, String policyName, String path, String document) {
            return new CreatePolicy(accountId, policyName, path, Ids.policyId(), "", document, Instant.now());
        }
    }

    record DeletePolicy(String policyArn) implements Change {
    }

    record CreatePolicyVersion(String policyArn, String document, boolean setAsDefault, Instant at)
            implements Change {
    }

    record DeletePolicyVersion(String policyArn, String versionId) implements Change {
    }

    record SetDefaultPolicyVersion(String policyArn, String versionId, Instant at) implements Change {
    }

    record AttachPolicy(String accountId, PrincipalKind kind, String name, String policyArn) implements Change {
    }

    record DetachPolicy(String accountId, PrincipalKind kind, String name, String policyArn) implements Change {
    }

    record PutInlinePolicy(String accountId, PrincipalKind kind, String name, String policyName, String document)
            implements Change {
    }

    record DeleteInlinePolicy(String accountId, PrincipalKind kind, String name, String policyName)
            implements Change {
    }

    /** A new access key for a user; the secret is already sealed. */
    record CreateAccessKey(String accountId, String userName, String accessKeyId, SealedSecret sealedSecret,
                           Instant at) implements Change {
    }

    record UpdateAccessKey(String accountId, String userName, String accessKeyId, AccessKeyStatus status)
            implements Change {
    }

    record DeleteAccessKey(String accountId, String userName, String accessKeyId) implements Change {
    }

    record RecordAccessKeyLastUsed(String accessKeyId, Instant at, String serviceName, String region)
            implements Change {
    }

    /** Re-encrypts an access key's secret under the current master key (lazy key rotation). */
    record ResealAccessKey(String accessKeyId, SealedSecret sealedSecret) implements Change {
    }

    record CreateServicePrincipal(String name, String accountId, String accessKeyId, SealedSecret sealedSecret,
                                  boolean mayAssertSource, Instant at) implements Change {
    }

    record DeleteServicePrincipal(String name) implements Change {
    }

    /** Creates or updates a gateway API (placeholder fields; the gateway issue defines them). */
    record PutApi(String apiId, String accountId, String name, Optional<String> resourcePolicy,
                  Map<String, String> attributes, Instant at) implements Change {
    }

    record DeleteApi(String apiId) implements Change {
    }

    record PutStage(String apiId, String stageName, Map<String, String> variables) implements Change {
    }

    /** Removes a stage of an API (its routes belong to the API and stay); refused while a custom domain maps it. */
    record DeleteStage(String apiId, String stageName) implements Change {
    }

    record PutRoute(String apiId, String routeKey, String upstreamUrl, String authorization, String invocation,
                    Map<String, String> attributes) implements Change {
    }

    record DeleteRoute(String apiId, String routeKey) implements Change {
    }
}
