package dev.portcullis.cli.audit;

import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.query.AuditPage;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.query.StoredEvent;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints one page of matching events as JSON lines; the next page's token goes to stderr. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Print matching audit events as JSON lines, oldest first, one page at a time.",
                "When more match, the token for --page-token is printed to stderr as 'next-page-token: …'.",
                "--all prints every page (an export to a log system)."})
final class QueryCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AuditSource source;

    @Mixin
    EventFilter filter;

    @Option(names = "--limit", defaultValue = "50", description = "Events per page, 1-1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--page-token", description = "Continue after the page that printed this token.")
    String pageToken;

    @Option(names = "--all", description = "Print every page.")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AuditSource.Opened opened = source.open()) {
            AuditSearch search = new AuditSearch(opened.log());
            String token = pageToken;
            while (true) {
                AuditPage page = search.query(filter.query(limit, token));
                for (StoredEvent e : page.events()) {
                    out.println(line(e));
                }
                out.flush();
                if (page.nextPageToken().isEmpty()) {
                    return 0;
                }
                token = page.nextPageToken().get();
                if (!all) {
                    err.println("next-page-token: " + token);
                    return 0;
                }
            }
        } catch (Exception e) {
            err.println("portcullis audit query: " + e.getMessage());
            return 2;
        }
    }

    static String line(StoredEvent e) {
        var json = EventJson.toJson(e.event());
        json.put("nodeId", e.nodeId());
        json.put("sequenceNumber", e.seq());
        return json.toString();
    }
}
