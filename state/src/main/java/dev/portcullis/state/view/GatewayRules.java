package dev.portcullis.state.view;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Route;
import dev.portcullis.state.model.Stage;
import java.util.HashMap;
import java.util.Map;

/** The gateway's APIs, stages, routes and resource policies (fields grow with the gateway issue). */
final class GatewayRules {
    private GatewayRules() {
    }

    /** Attributes naming a custom domain; a domain maps to one API only. */
    static final String DOMAIN_PREFIX = "domain:";

    private static void domainsFree(Draft d, PutApi x) throws IamException {
        for (String key : x.attributes().keySet()) {
            if (!key.startsWith(DOMAIN_PREFIX)) {
                continue;
            }
            for (Api other : d.apis.values()) {
                if (!other.apiId().equals(x.apiId()) && other.attributes().containsKey(key)) {
                    throw IamException.alreadyExists("The domain name " + key.substring(DOMAIN_PREFIX.length())
                            + " is already mapped to API " + other.apiId());
                }
            }
        }
    }

    static boolean apply(Draft d, Change c) throws IamException {
        if (c instanceof PutApi x) {
            d.account(x.accountId());
            if (x.apiId() == null || !x.apiId().matches("[a-z0-9]{1,32}")) {
                throw IamException.validation("Invalid API identifier specified");
            }
            Api old = d.apis.get(x.apiId());
            domainsFree(d, x);
            if (x.resourcePolicy().isPresent()) {
                d.compiledApiPolicies = d.compiledApiPolicies.with(x.apiId(),
                        d.compile(x.apiId(), "resource-policy", PolicyKind.RESOURCE, x.resourcePolicy().get()));
            } else {
                d.compiledApiPolicies = d.compiledApiPolicies.without(x.apiId());
            }
            d.apis = d.apis.with(x.apiId(), new Api(x.apiId(), x.accountId(), x.name(), x.resourcePolicy(),
                    x.attributes(), old == null ? Map.of() : old.stages(), old == null ? Map.of() : old.routes(),
                    old == null ? x.at() : old.createdAt()));
        } else if (c instanceof DeleteApi x) {
            d.api(x.apiId());
            d.apis = d.apis.without(x.apiId());
            d.compiledApiPolicies = d.compiledApiPolicies.without(x.apiId());
        } else if (c instanceof PutStage x) {
            Api a = d.api(x.apiId());
            Map<String, Stage> stages = new HashMap<>(a.stages());
            stages.put(x.stageName(), new Stage(x.stageName(), x.variables()));
            d.apis = d.apis.with(a.apiId(), new Api(a.apiId(), a.accountId(), a.name(), a.resourcePolicy(),
                    a.attributes(), stages, a.routes(), a.createdAt()));
        } else if (c instanceof DeleteStage x) {
            Api a = d.api(x.apiId());
            Map<String, Stage> stages = new HashMap<>(a.stages());
            if (stages.remove(x.stageName()) == null) {
                throw IamException.noSuchEntity("Invalid stage identifier specified");
            }
            for (Map.Entry<String, String> e : a.attributes().entrySet()) {
                // A mapping's value is "stage/basePath" (the gateway's CustomDomains).
                if (e.getKey().startsWith(DOMAIN_PREFIX) && e.getValue().startsWith(x.stageName() + "/")) {
                    throw IamException.deleteConflict("The stage " + x.stageName() + " is mapped by the custom domain "
                            + e.getKey().substring(DOMAIN_PREFIX.length()) + "; delete the mapping first");
                }
            }
            d.apis = d.apis.with(a.apiId(), new Api(a.apiId(), a.accountId(), a.name(), a.resourcePolicy(),
                    a.attributes(), stages, a.routes(), a.createdAt()));
        } else if (c instanceof PutRoute x) {
            Api a = d.api(x.apiId());
            Map<String, Route> routes = new HashMap<>(a.routes());
            routes.put(x.routeKey(), new Route(x.routeKey(), x.upstreamUrl(), x.authorization(), x.invocation(),
                    x.attributes()));
            d.apis = d.apis.with(a.apiId(), new Api(a.apiId(), a.accountId(), a.name(), a.resourcePolicy(),
                    a.attributes(), a.stages(), routes, a.createdAt()));
        } else if (c instanceof DeleteRoute x) {
            Api a = d.api(x.apiId());
            Map<String, Route> routes = new HashMap<>(a.routes());
            if (routes.remove(x.routeKey()) == null) {
                throw IamException.noSuchEntity("Invalid Route identifier specified");
            }
            d.apis = d.apis.with(a.apiId(), new Api(a.apiId(), a.accountId(), a.name(), a.resourcePolicy(),
                    a.attributes(), a.stages(), routes, a.createdAt()));
        } else {
            return false;
        }
        return true;
    }
}
