package dev.portcullis.state.view;

import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Computes a principal's {@link PrincipalPolicies} from the draft's compiled policies. */
final class PrincipalIndex {
    private PrincipalIndex() {
    }

    static PrincipalPolicies forUser(Draft d, User u) {
        List<CompiledPolicy> out = new ArrayList<>();
        String arn = u.arn();
        inline(d, arn, u.inlinePolicies(), out);
        managed(d, u.attachedPolicies(), out);
        for (String groupName : u.groups()) {
            Group g = d.groups.get(IamView.key(u.accountId(), groupName));
            if (g != null) {
                inline(d, g.arn(), g.inlinePolicies(), out);
                managed(d, g.attachedPolicies(), out);
            }
        }
        return new PrincipalPolicies(arn, out, boundary(d, u.permissionsBoundary()));
    }

    static PrincipalPolicies forRole(Draft d, Role r) {
        List<CompiledPolicy> out = new ArrayList<>();
        inline(d, r.arn(), r.inlinePolicies(), out);
        managed(d, r.attachedPolicies(), out);
        return new PrincipalPolicies(r.arn(), out, boundary(d, r.permissionsBoundary()));
    }

    private static void inline(Draft d, String ownerArn, Map<String, InlinePolicy> inline, List<CompiledPolicy> out) {
        inline.keySet().stream().sorted().forEach(name -> {
            CompiledPolicy p = d.compiledInline.get(IamView.inlineKey(ownerArn, name));
            if (p != null) {
                out.add(p);
            }
        });
    }

    private static void managed(Draft d, List<String> arns, List<CompiledPolicy> out) {
        for (String arn : arns) {
            CompiledPolicy p = d.compiledManaged.get(arn);
            if (p != null) {
                out.add(p);
            }
        }
    }

    private static Optional<CompiledPolicy> boundary(Draft d, Optional<String> arn) {
        return arn.map(d.compiledManaged::get);
    }
}
