package dev.portcullis.state.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.SealedSecret;
import dev.portcullis.state.model.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {
    static final String A = "123456789012";
    static final Instant T = Instant.parse("2026-11-23T01:02:03.456Z");
    static final String P = "arn:aws:iam::123456789012:policy/p";
    static final SealedSecret S = new SealedSecret("k1", "bm9uY2VjaXBoZXJ0ZXh0");

    /** One instance of every change type. */
    static final List<Change> ALL = List.of(
            new CreateAccount(A, Optional.of("acme"), T), new SetAccountAlias(A, Optional.empty()),
            new CreateUser(A, "u", "/a/", "AIDAAAAAAAAAAAAAAAAA", List.of(new Tag("k", "v")), Optional.of(P), T),
            new DeleteUser(A, "u"), new UpdateUser(A, "u", Optional.of("v"), Optional.of("/b/")),
            new UpdateGroup(A, "g", Optional.empty(), Optional.of("/c/")), new CreateGroup(A, "g", "/", "AGPAAAAAAAAAAAAAAAAA", T), new DeleteGroup(A, "g"),
            new AddUserToGroup(A, "g", "u"), new RemoveUserFromGroup(A, "g", "u"),
            new CreateRole(A, "r", "/", "AROAAAAAAAAAAAAAAAAA", "{}", 7200, "d", List.of(), Optional.empty(), T),
            new DeleteRole(A, "r"), new UpdateRole(A, "r", Optional.of(3600), Optional.empty()),
            new UpdateAssumeRolePolicy(A, "r", "{}"), new RecordRoleLastUsed(A, "r", T, "eu-west-1"),
            new RevokeRoleSessions(A, "r", T), new TagEntity(A, PrincipalKind.ROLE, "r", List.of(new Tag("a", ""))),
            new UntagEntity(A, PrincipalKind.USER, "u", List.of("a")),
            new SetPermissionsBoundary(A, PrincipalKind.USER, "u", Optional.of(P)),
            new CreatePolicy(A, "p", "/", "ANPAAAAAAAAAAAAAAAAA", "", "{}", T), new DeletePolicy(P),
            new CreatePolicyVersion(P, "{}", true, T), new DeletePolicyVersion(P, "v2"),
            new SetDefaultPolicyVersion(P, "v1", T), new AttachPolicy(A, PrincipalKind.GROUP, "g", P),
            new DetachPolicy(A, PrincipalKind.GROUP, "g", P),
            new PutInlinePolicy(A, PrincipalKind.USER, "u", "inline", "{}"),
            new DeleteInlinePolicy(A, PrincipalKind.USER, "u", "inline"),
            new CreateAccessKey(A, "u", "AKIAAAAAAAAAAAAAAAAA", S, T),
            new UpdateAccessKey(A, "u", "AKIAAAAAAAAAAAAAAAAA", AccessKeyStatus.Inactive),
            new DeleteAccessKey(A, "u", "AKIAAAAAAAAAAAAAAAAA"),
            new RecordAccessKeyLastUsed("AKIAAAAAAAAAAAAAAAAA", T, "s3", "us-east-1"),
            new ResealAccessKey("AKIAAAAAAAAAAAAAAAAA", S),
            new CreateServicePrincipal("bedrock.amazonaws.com", A, "AKIAAAAAAAAAAAAAAAAB", S, true, T),
            new DeleteServicePrincipal("bedrock.amazonaws.com"),
            new PutApi("abc123", A, "orders", Optional.of("{}"), Map.of("x", "y"), T), new DeleteApi("abc123"),
            new PutStage("abc123", "prod", Map.of()),
            new PutRoute("abc123", "GET /x", "http://127.0.0.1:1", "IAM", "sync", Map.of()),
            new DeleteRoute("abc123", "GET /x"),
            new DeleteStage("abc123", "prod"));

    @Test
    void everyChangeTypeRoundTripsThroughJson() {
        for (Change c : ALL) {
            String json = ChangeCodec.encode(c);
            assertThat(json).contains("\"type\":\"" + c.type() + "\"");
            assertThat(ChangeCodec.decode(json)).isEqualTo(c);
        }
    }

    @Test
    void theCorpusCoversEveryPermittedChangeType() {
        assertThat(ALL.stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(Change.class.getPermittedSubclasses()));
    }

    @Test
    void timesAreWrittenAsIsoInstants() {
        assertThat(ChangeCodec.encode(new RevokeRoleSessions(A, "r", T))).contains("2026-11-23T01:02:03.456Z");
    }
}
