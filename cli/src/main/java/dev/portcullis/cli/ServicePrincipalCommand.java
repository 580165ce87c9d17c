package dev.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.state.Applied;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.NewAccessKey;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Account;
import dev.portcullis.state.model.ServicePrincipal;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis service-principal …}: registers, lists and removes the trusted services
 * ({@code bedrock.amazonaws.com}, {@code agents.example.internal}) that sign their own requests with their own
 * access key and, when allowed, assert {@code aws:SourceArn}/{@code aws:SourceAccount} for the resource they act
 * for (docs/compatibility.md, "Extension: a registered service principal"). AWS has no API for this (its
 * service principals are AWS's own), so it is an operator command on the node's store, like {@code serve}.
 *
 * <p>Exit status: 0 done, 1 refused by the model (a duplicate name, an unknown account or service principal),
 * 2 unusable settings or store.
 */
@Command(name = "service-principal", mixinStandardHelpOptions = true,
        description = "Register, list and remove service principals (trusted services with their own access key).",
        subcommands = {ServicePrincipalCommand.Create.class, ServicePrincipalCommand.ListCommand.class,
                ServicePrincipalCommand.Delete.class})
final class ServicePrincipalCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The environment the settings come from; tests replace it. */
    static Map<String, String> env = System.getenv();

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Register a service principal and print its new access key as JSON, once.",
                    "The secret is not stored in clear and cannot be shown again. A running node accepts the key"
                            + " once it has caught up with the store (on SQLite within a second; /healthz shows its"
                            + " sequence)."})
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "service name, e.g. bedrock.amazonaws.com")
        String name;

        @Option(names = "--account", paramLabel = "ID",
                description = "account the service acts in (default: the store's account when it has only one)")
        String account;

        @Option(names = "--may-assert-source",
                description = "let the service assert aws:SourceArn / aws:SourceAccount in the signed headers"
                        + " x-portcullis-source-arn / x-portcullis-source-account")
        boolean mayAssertSource;

        @Mixin
        NodeStore store;

        @Override
        public Integer call() {
            return withStore(spec, store, state -> {
                String accountId = account(state, account);
                NewAccessKey key = state.createServicePrincipal(name, accountId, mayAssertSource);
                ServicePrincipal sp = state.view().servicePrincipal(name).orElseThrow();
                ObjectNode root = JSON.createObjectNode();
                ObjectNode n = root.putObject("ServicePrincipal");
                describe(n, sp);
                n.put("SecretAccessKey", key.secret().revealAsString());
                root.put("Sequence", key.sequence());
                return root;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the service principals (never their secrets) as JSON.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        NodeStore store;

        @Override
        public Integer call() {
            return withStore(spec, store, state -> {
                ObjectNode root = JSON.createObjectNode();
                ArrayNode all = root.putArray("ServicePrincipals");
                for (ServicePrincipal sp : state.view().servicePrincipals()) {
                    describe(all.addObject(), sp);
                }
                return root;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove a service principal and its access key; running nodes refuse the key once caught up.")
    static final class Delete implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "service name")
        String name;

        @Mixin
        NodeStore store;

        @Override
        public Integer call() {
            return withStore(spec, store, state -> {
                Applied a = state.apply(new Change.DeleteServicePrincipal(name));
                return JSON.createObjectNode().put("Sequence", a.sequence());
            });
        }
    }

    @FunctionalInterface
    private interface Action {
        ObjectNode run(IamState state) throws IamException;
    }

    private static int withStore(CommandLine.Model.CommandSpec spec, NodeStore store, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (NodeStore.Opened opened = store.open(env)) {
            ObjectNode result = action.run(opened.state());
            out.println(JSON.writeValueAsString(result));
            out.flush();
            return 0;
        } catch (NodeStore.Unusable e) {
            err.println("portcullis: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IamException e) {
            err.println("portcullis: " + e.code() + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            err.println("portcullis: cannot print the result: " + e.getOriginalMessage());
            err.flush();
            return 1;
        }
    }

    /** The account named, or the store's only account; an unknown account is NoSuchEntity, as in the model. */
    private static String account(IamState state, String requested) throws IamException {
        List<Account> accounts = state.view().accounts();
        if (requested != null) {
            if (accounts.stream().noneMatch(a -> a.accountId().equals(requested))) {
                throw IamException.noSuchEntity("The account with id " + requested + " cannot be found.");
            }
            return requested;
        }
        if (accounts.size() != 1) {
            throw IamException.validation("the store holds " + accounts.size() + " accounts: name one with --account");
        }
        return accounts.get(0).accountId();
    }

    private static void describe(ObjectNode n, ServicePrincipal sp) {
        n.put("ServiceName", sp.name());
        n.put("AccountId", sp.accountId());
        n.put("MayAssertSource", sp.mayAssertSource());
        n.put("AccessKeyId", sp.accessKeyId());
        n.put("CreateDate", sp.createdAt().toString());
    }
}
