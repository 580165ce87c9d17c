package dev.portcullis.server.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.server.query.ResponseElements;
import dev.portcullis.state.view.IamView;

/**
 * An AWS Query-protocol API (IAM, STS): it names itself and resolves each action to an
 * {@link Operation}. It never authenticates, authorizes or audits: the pipeline does.
 */
public interface QueryApi {

    /** The SigV4 signing name and credential-scope service, {@code iam} or {@code sts}. */
    String service();

    /** The protocol version the API answers, {@code 2010-05-08} for IAM. */
    String version();

    /** The XML namespace of responses, {@code https://iam.amazonaws.com/doc/2010-05-08/}. */
    String namespace();

    /** The audit's {@code eventSource}, {@code iam.amazonaws.com}. */
    String eventSource();

    /** True when this API implements {@code action} (used to route requests without a credential scope). */
    boolean handles(String action);

    /**
     * Resolves the action for this caller. Parameter errors surface here, before authorization, as AWS
     * does for validation errors.
     *
     * @throws QueryException {@code InvalidAction} for an unknown action, {@code ValidationError} for bad parameters
     */
    Operation resolve(String action, QueryParameters params, Caller caller, IamView view);

    /**
     * The audit's {@code responseElements} of a successful call that changed something, from its XML answer
     * (the event redacts secrets). By default the whole result, converted ({@link ResponseElements}); an API
     * whose hot actions answer large documents may pick the elements cheaply itself.
     */
    default ObjectNode responseElements(String action, String responseXml) {
        return ResponseElements.of(responseXml);
    }

    /** AWS's answer to an action this API does not have. */
    static QueryException invalidAction(String action, String version) {
        return new QueryException("InvalidAction", "Could not find operation " + action + " for version " + version, 400);
    }
}
