package dev.portcullis.server.iam;

import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.QueryApi;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.state.IamState;
import dev.portcullis.state.view.IamView;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The IAM API (2010-05-08, AWS Query protocol). {@link #resolve} validates the request's parameters
 * (answering {@code ValidationError} in AWS's wording before any authorization) and returns the
 * {@link Operation}: the IAM action ({@code iam:CreateUser}), the resource ARN as the Service
 * Authorization Reference defines it for that action (the entity's ARN with its real path, or
 * {@code *} for actions without a resource type), request and resource tags, IAM condition keys
 * ({@code iam:PolicyARN}, {@code iam:PermissionsBoundary}), and the handler that writes to the state
 * and answers in the IAM API Reference's XML shape.
 *
 * <p>Every entity belongs to the caller's account. Writes, the simulator and GetAccountAuthorizationDetails
 * are blocking (run on a worker thread);
 * reads come from the snapshot the request was authorized against. Thread-safe and stateless apart
 * from the {@link IamState} it writes to.
 */
public final class IamApi implements QueryApi {

    public static final String VERSION = "2010-05-08";
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

    private final IamState state;
    private final Map<String, Resolver> actions;

    public IamApi(IamState state) {
        this.state = Objects.requireNonNull(state, "state");
        Map<String, Resolver> m = new HashMap<>();
        Users.register(m);
        Groups.register(m);
        Roles.register(m);
        InlinePolicies.register(m);
        ManagedPolicies.register(m);
        AccessKeys.register(m);
        Account.register(m);
        Simulator.register(m);
        this.actions = Map.copyOf(m);
    }

    @Override
    public String service() {
        return "iam";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public String eventSource() {
        return "iam.amazonaws.com";
    }

    @Override
    public boolean handles(String action) {
        return actions.containsKey(action);
    }

    /** Every action this API implements, for documentation and routing. */
    public Set<String> actions() {
        return actions.keySet();
    }

    @Override
    public Operation resolve(String action, QueryParameters params, Caller caller, IamView view) {
        Resolver r = action == null ? null : actions.get(action);
        if (r == null) {
            throw QueryApi.invalidAction(action, VERSION);
        }
        return r.resolve(new Call(action, params, caller, view, state));
    }
}
