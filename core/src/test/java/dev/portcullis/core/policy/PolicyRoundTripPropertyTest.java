package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Parsing, printing and parsing again is stable, and the printed policy decides like the original. */
class PolicyRoundTripPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 300)
    void parsePrintParseIsStable(@ForAll("policies") String document) throws Exception {
        Policy first = Policies.parse(document, PolicyKind.INLINE_ROLE);
        String printed = first.toCanonicalJson();
        Policy second = Policies.parse(printed, PolicyKind.INLINE_ROLE);
        assertThat(second.toCanonicalJson()).isEqualTo(printed);
        assertThat(second.statementCount()).isEqualTo(first.statementCount());
        for (String action : List.of("s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:CreateRole")) {
            AuthorizationRequest r = request(action, first);
            assertThat(PolicyEngine.evaluate(r.withPolicies(PolicySet.ofIdentity(List.of(new PolicyRef("p", second))))).decision())
                    .isEqualTo(PolicyEngine.evaluate(r).decision());
        }
    }

    private static AuthorizationRequest request(String action, Policy p) {
        return AuthorizationRequest.builder()
                .principal(RequestPrincipal.user("arn:aws:iam::111122223333:user/alice", "AIDA1", java.util.Map.of("team", "blue")))
                .action(action).resource("arn:aws:s3:::bucket/alice/x")
                .context("aws:SourceIp", "10.1.2.3").context("aws:TagKeys", "env", "team")
                .policies(PolicySet.ofIdentity(List.of(new PolicyRef("p", p)))).build();
    }

    @Provide
    Arbitrary<String> policies() {
        Arbitrary<ObjectNode> statement = Combinators.combine(
                Arbitraries.of("Allow", "Deny"),
                Arbitraries.of("Action", "NotAction"),
                Arbitraries.of("s3:GetObject", "s3:*", "s3:Get*", "ec2:*", "*", "iam:?reate*").list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of("Resource", "NotResource"),
                Arbitraries.of("*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::b?cket/*")
                        .list().ofMinSize(1).ofMaxSize(2),
                conditions(),
                Arbitraries.of("", "S1", "Read")).as((effect, an, actions, rn, resources, cond, sid) -> {
                    ObjectNode s = JSON.createObjectNode();
                    if (!sid.isEmpty()) {
                        s.put("Sid", sid);
                    }
                    s.put("Effect", effect);
                    if (actions.size() == 1) {
                        s.put(an, actions.get(0));
                    } else {
                        ArrayNode a = s.putArray(an);
                        actions.forEach(a::add);
                    }
                    ArrayNode r = s.putArray(rn);
                    resources.forEach(r::add);
                    if (cond != null) {
                        s.set("Condition", cond);
                    }
                    return s;
                });
        return statement.list().ofMinSize(1).ofMaxSize(4).map(list -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("Version", "2012-10-17");
            ArrayNode st = root.putArray("Statement");
            int i = 0;
            for (ObjectNode s : list) {
                if (s.has("Sid")) {
                    s.put("Sid", s.get("Sid").asText() + i);
                }
                i++;
                st.add(s);
            }
            return root.toString();
        });
    }

    private Arbitrary<ObjectNode> conditions() {
        Arbitrary<String[]> one = Arbitraries.of(
                new String[] {"StringEquals", "aws:PrincipalTag/team", "blue"},
                new String[] {"StringNotLike", "aws:username", "b*"},
                new String[] {"ForAllValues:StringEquals", "aws:TagKeys", "env"},
                new String[] {"ForAnyValue:StringLike", "aws:TagKeys", "t*"},
                new String[] {"IpAddress", "aws:SourceIp", "10.0.0.0/8"},
                new String[] {"NotIpAddressIfExists", "aws:SourceIp", "192.168.0.0/16"},
                new String[] {"NumericLessThan", "s3:max-keys", "10"},
                new String[] {"DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"},
                new String[] {"Bool", "aws:SecureTransport", "true"},
                new String[] {"Null", "aws:TokenIssueTime", "true"},
                new String[] {"ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*"});
        return one.list().ofMaxSize(3).uniqueElements(c -> c[0]).map(list -> {
            if (list.isEmpty()) {
                return null;
            }
            ObjectNode c = JSON.createObjectNode();
            for (String[] t : list) {
                c.putObject(t[0]).put(t[1], t[2]);
            }
            return c;
        });
    }
}
