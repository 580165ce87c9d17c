package dev.portcullis.server.iam;

import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.PolicyVersion;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The IAM API Reference's data types as XML ({@code User}, {@code Role}, {@code Group}, {@code Policy},
 * {@code PolicyVersion}, {@code Tag}, {@code AttachedPolicy}). Policy documents are URL-encoded as IAM
 * returns them (RFC 3986: {@code %20} for a space).
 */
final class IamXml {

    private IamXml() {
    }

    /** RFC 3986 percent-encoding of a policy document, as in IAM responses. */
    static String encodeDocument(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** {@code <User>} members; {@code full} adds the boundary and tags (GetUser, CreateUser). */
    static void user(QueryXml xml, User u, boolean full) {
        xml.element("Path", u.path()).element("UserName", u.userName()).element("UserId", u.userId())
                .element("Arn", u.arn()).element("CreateDate", u.createdAt());
        if (full) {
            boundary(xml, u.permissionsBoundary());
            tags(xml, u.tags());
        }
    }

    static void group(QueryXml xml, Group g) {
        xml.element("Path", g.path()).element("GroupName", g.groupName()).element("GroupId", g.groupId())
                .element("Arn", g.arn()).element("CreateDate", g.createdAt());
    }

    /** {@code <Role>} members; {@code full} adds the boundary, tags and last use (GetRole, CreateRole). */
    static void role(QueryXml xml, Role r, boolean full) {
        xml.element("Path", r.path()).element("RoleName", r.roleName()).element("RoleId", r.roleId())
                .element("Arn", r.arn()).element("CreateDate", r.createdAt())
                .element("AssumeRolePolicyDocument", encodeDocument(r.assumeRolePolicyDocument()));
        if (!r.description().isEmpty()) {
            xml.element("Description", r.description());
        }
        xml.element("MaxSessionDuration", r.maxSessionDurationSeconds());
        if (full) {
            boundary(xml, r.permissionsBoundary());
            tags(xml, r.tags());
            xml.start("RoleLastUsed");
            r.lastUsed().ifPresent(l -> xml.element("LastUsedDate", l.lastUsedAt()).element("Region", l.region()));
            xml.end("RoleLastUsed");
        }
    }

    static void boundary(QueryXml xml, Optional<String> arn) {
        if (arn.isPresent()) {
            xml.start("PermissionsBoundary")
                    .element("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
                    .element("PermissionsBoundaryArn", arn.get())
                    .end("PermissionsBoundary");
        }
    }

    /** {@code <Tags>} when there are any (IAM omits the member otherwise). */
    static void tags(QueryXml xml, List<Tag> tags) {
        if (!tags.isEmpty()) {
            tagList(xml, tags);
        }
    }

    /** {@code <Tags>}, always present (ListUserTags, ListRoleTags). */
    static void tagList(QueryXml xml, List<Tag> tags) {
        xml.start("Tags");
        for (Tag t : tags) {
            xml.start("member").element("Key", t.key()).element("Value", t.value()).end("member");
        }
        xml.end("Tags");
    }

    /** {@code <Policy>} members (ManagedPolicy / ManagedPolicyDetail without the version list). */
    static void policy(QueryXml xml, ManagedPolicy p, IamView view, boolean description) {
        xml.element("PolicyName", p.policyName()).element("PolicyId", p.policyId()).element("Arn", p.arn())
                .element("Path", p.path()).element("DefaultVersionId", p.defaultVersionId())
                .element("AttachmentCount", p.attachmentCount())
                .element("PermissionsBoundaryUsageCount", boundaryUsage(view, p))
                .element("IsAttachable", true);
        if (description && !p.description().isEmpty()) {
            xml.element("Description", p.description());
        }
        xml.element("CreateDate", p.createdAt()).element("UpdateDate", p.updatedAt());
    }

    /** How many users and roles in the policy's account use it as their permissions boundary. */
    static long boundaryUsage(IamView view, ManagedPolicy p) {
        String arn = p.arn();
        return view.users(p.accountId()).stream().filter(u -> u.permissionsBoundary().map(arn::equals).orElse(false))
                .count()
                + view.roles(p.accountId()).stream()
                .filter(r -> r.permissionsBoundary().map(arn::equals).orElse(false)).count();
    }

    /** {@code PolicyVersion} members; {@code document} adds the URL-encoded document. */
    static void version(QueryXml xml, ManagedPolicy p, PolicyVersion v, boolean document) {
        if (document) {
            xml.element("Document", encodeDocument(v.document()));
        }
        xml.element("VersionId", v.versionId()).element("IsDefaultVersion", v.versionId().equals(p.defaultVersionId()))
                .element("CreateDate", v.createdAt());
    }

    /** {@code <AttachedPolicies>}-style members: {@code PolicyName} and {@code PolicyArn}. */
    static void attached(QueryXml xml, String listElement, List<String> arns) {
        xml.start(listElement);
        for (String arn : arns) {
            xml.start("member").element("PolicyName", arn.substring(arn.lastIndexOf('/') + 1))
                    .element("PolicyArn", arn).end("member");
        }
        xml.end(listElement);
    }
}
