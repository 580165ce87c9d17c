package dev.portcullis.cli.audit;

import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.query.StoredEvent;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The newest events, and with {@code -f} every new one as it is stored. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the newest audit events as JSON lines; with -f, keep printing new ones until interrupted.")
final class TailCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AuditSource source;

    @Mixin
    EventFilter filter;

    @Option(names = {"-n", "--lines"}, defaultValue = "10", description = "How many of the newest events to print first (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep following new events.")
    boolean follow;

    @Option(names = "--interval", defaultValue = "500", description = "Milliseconds between polls with -f (default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = "--follow-for", hidden = true, description = "Stop following after this many milliseconds (tests).")
    long followForMillis = Long.MAX_VALUE;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AuditSource.Opened opened = source.open()) {
            AuditSearch search = new AuditSearch(opened.log());
            Map<String, Long> position = new HashMap<>(search.position());
            if (lines > 0) {
                for (StoredEvent e : search.latest(lines, filter.query(1, null))) {
                    out.println(QueryCommand.line(e));
                }
            }
            out.flush();
            long stopAt = followForMillis == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + followForMillis;
            while (follow && System.currentTimeMillis() < stopAt) {
                Thread.sleep(Math.max(10, intervalMillis));
                search.poll(position, filter.query(1, null), e -> out.println(QueryCommand.line(e)));
                out.flush();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("portcullis audit tail: " + e.getMessage());
            return 2;
        }
    }
}
