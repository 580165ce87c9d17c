package dev.portcullis.server.iam;

import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.RequestScope;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Drives {@link IamApi} the way the pipeline does (resolve, then run the handler against the current
 * snapshot) on a real {@link IamState} in a temporary SQLite directory, and reads the XML answers.
 */
final class IamFixture implements AutoCloseable {

    static final String ACCOUNT = "111122223333";
    static final String OTHER_ACCOUNT = "444455556666";

    final IamState state;
    final IamApi api;
    Caller caller;

    IamFixture(Path dir) throws IamException {
        state = IamState.open(StateConfig.sqlite(dir).withKeyring(Keyring.generate()));
        state.apply(Change.CreateAccount.of(ACCOUNT));
        state.apply(Change.CreateAccount.of(OTHER_ACCOUNT));
        api = new IamApi(state);
        caller = root(ACCOUNT);
    }

    static Caller root(String account) {
        return new Caller(RequestPrincipal.root(account), "AKIAROOTKEYEXAMPLE01", Optional.empty(), Optional.empty());
    }

    /** The caller as an existing IAM user of the account. */
    Caller userCaller(String userName) {
        var u = state.view().user(ACCOUNT, userName).orElseThrow();
        return new Caller(RequestPrincipal.user(u.arn(), u.userId(), Map.of()), "AKIAUSERKEYEXAMPLE01", Optional.empty(),
                Optional.empty());
    }

    static Map<String, String> params(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    Operation resolve(String action, String... pairs) {
        return api.resolve(action, QueryParameters.of(params(pairs)), caller, state.view());
    }

    /** Resolves and runs; returns the parsed response. */
    Xml call(String action, String... pairs) {
        Operation op = resolve(action, pairs);
        RequestScope scope = new RequestScope(caller, QueryParameters.of(params(pairs)), state.view(), request());
        try {
            return Xml.parse(op.handler().run(scope));
        } catch (IamException e) {
            throw new AssertionError(action + " failed: " + e, e);
        }
    }

    /** Resolves and runs an action expected to fail; returns the AWS error code. */
    Failure fail(String action, String... pairs) {
        try {
            Operation op = resolve(action, pairs);
            RequestScope scope = new RequestScope(caller, QueryParameters.of(params(pairs)), state.view(), request());
            String xml = op.handler().run(scope);
            throw new AssertionError(action + " succeeded unexpectedly: " + xml);
        } catch (QueryException e) {
            return new Failure(e.code(), e.getMessage(), e.status());
        } catch (IamException e) {
            return new Failure(e.code(), e.getMessage(), e.httpStatus());
        }
    }

    record Failure(String code, String message, int status) {
    }

    static InboundRequest request() {
        return new InboundRequest("req-0001", "req-0001", "POST", "/", null, "iam.local", name -> List.of(),
                new byte[0], "127.0.0.1", false, Instant.now(), System.nanoTime());
    }

    @Override
    public void close() {
        state.close();
    }

    /** A parsed response with namespace-agnostic XPath helpers ({@code //User/UserName}). */
    static final class Xml {
        final Document doc;
        final String raw;
        private final XPath xpath = XPathFactory.newInstance().newXPath();

        private Xml(Document doc, String raw) {
            this.doc = doc;
            this.raw = raw;
        }

        static Xml parse(String text) {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                return new Xml(f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))),
                        text);
            } catch (Exception e) {
                throw new AssertionError("not XML: " + text, e);
            }
        }

        String text(String path) {
            try {
                return (String) xpath.evaluate(path, doc, XPathConstants.STRING);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        List<String> texts(String path) {
            try {
                NodeList nodes = (NodeList) xpath.evaluate(path, doc, XPathConstants.NODESET);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < nodes.getLength(); i++) {
                    out.add(nodes.item(i).getTextContent());
                }
                return out;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        int count(String path) {
            return texts(path).size();
        }

        String root() {
            return doc.getDocumentElement().getTagName();
        }

        @Override
        public String toString() {
            return raw;
        }
    }
}
