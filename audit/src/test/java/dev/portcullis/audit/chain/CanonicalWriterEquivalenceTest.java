package dev.portcullis.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.Events;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.CanonicalEventWriter;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.event.UserIdentity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written canonical writer must produce, byte for byte, what the chain hashed before it (the
 * Jackson generator, {@link JacksonCanonicalEvent}) and what the verifier recomputes from a stored line
 * ({@code CanonicalJson} over the parsed tree): otherwise existing trails stop verifying, or new records
 * do. Compared over many random events, with strings drawn to hit every escaping rule.
 */
class CanonicalWriterEquivalenceTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void theHandWrittenWriterIsByteIdenticalToTheJacksonFormsOverRandomEvents() throws Exception {
        Random random = new Random(20261123L);
        for (int i = 0; i < 20_000; i++) {
            AuditEvent e = randomEvent(random);
            byte[] fast = CanonicalEventWriter.bytes(e);
            String generator = JacksonCanonicalEvent.json(e);
            String tree = CanonicalJson.string(EventJson.toJson(e));
            assertThat(new String(fast, StandardCharsets.UTF_8)).as("event %d", i).isEqualTo(generator).isEqualTo(tree);
            assertThat(fast).as("event %d bytes", i).isEqualTo(generator.getBytes(StandardCharsets.UTF_8));
            // What the verifier does with a stored line: parse it and write it canonically again.
            assertThat(CanonicalJson.bytes(CanonicalJson.parse(tree))).as("event %d re-parsed", i).isEqualTo(fast);
        }
    }

    @Test
    void theRealisticEventsAndEveryEscapeAreIdentical() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        all.append("\u07ff\u0800\uffff\ud800\udbff\udc00\udfff\ud83d\ude00 x\u2028\u2029\u00e9");
        ObjectNode params = F.objectNode().put(all.toString(), all.toString());
        params.putArray("list").add(all.toString()).add(1).add(new BigDecimal("1.50")).add(1e300).add(true).addNull()
                .add(new BigInteger("123456789012345678901234567890")).add(-0.0).add(Long.MIN_VALUE);
        AuditEvent escapes = AuditEvent.builder().eventName("Escapes").eventTime(Instant.EPOCH)
                .requestParameters(params).userAgent(all.toString()).build();
        AuditEvent minimal = AuditEvent.builder().eventName("GetRole").eventTime(Instant.EPOCH).build();
        // Instants outside 1970-9999 are formatted by Instant.toString(), not by hand.
        AuditEvent farTimes = AuditEvent.builder().eventName("Far").eventTime(Instant.parse("1969-07-20T20:17:40.5Z"))
                .userIdentity(new UserIdentity("AssumedRole", null, null, null, null, new UserIdentity.SessionContext(null,
                        Instant.parse("+10000-01-01T00:00:00.000001Z"), true), null))
                .latencyMicros(Long.MAX_VALUE).build();
        // Parameters already in canonical order (as the gateway builds them) take the writer's unsorted path.
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        for (String k : List.of("status", "apiId", "Path", "_x", "a\u00e9", "b\"q", "\ud83d\ude00", "z\n", "A")) {
            sorted.put(k, k + "-value\u2028");
        }
        ObjectNode inOrder = F.objectNode();
        sorted.forEach(inOrder::put);
        inOrder.putObject("\uffffnested").put("a", 1).put("b", "x").putObject("c").put("d", true);
        AuditEvent ordered = AuditEvent.builder().eventName("Ordered").eventTime(Instant.EPOCH)
                .requestParameters(inOrder).build();
        for (AuditEvent e : List.of(Events.invoke(7), Events.invoke(3), Events.fullOfSecrets(1), minimal, escapes,
                farTimes, ordered)) {
            assertThat(CanonicalEventWriter.string(e)).isEqualTo(JacksonCanonicalEvent.json(e))
                    .isEqualTo(CanonicalJson.string(EventJson.toJson(e)));
        }
    }

    @Test
    void theHandWrittenSafeTextCheckAgreesWithItsPattern() {
        java.util.regex.Pattern safe = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String s = random.nextInt(3) == 0 ? text(random) : Long.toString(random.nextLong(), 36) + "._-/ "
                    .substring(0, random.nextInt(6));
            assertThat(ChainRecord.safeText(s)).as(s).isEqualTo(safe.matcher(s).matches());
        }
        assertThat(ChainRecord.safeText("")).isFalse();
    }

    @Test
    void decimalsSurviveTheVerifiersRoundTripExactly() throws Exception {
        // Before: the parser stripped trailing zeros (1.50 -> 1.5, 1.0E+10 -> 1E+10), so a stored record with
        // such a number re-serialised to other bytes and failed verification.
        for (String number : List.of("1.50", "1.0E+10", "0.0", "-1.000", "6.326767805295434390", "2.203320216549463460E+26")) {
            String json = "{\"n\":" + number + "}";
            assertThat(CanonicalJson.string(CanonicalJson.parse(json))).isEqualTo(json);
        }
    }

    @Test
    void preparedRecordsStillSealToTheTreeFormAndVerify() throws Exception {
        Random random = new Random(7);
        String prev = ChainRecord.GENESIS;
        Instant t = Instant.parse("2026-11-23T03:00:00.123456Z");
        for (long seq = 1; seq <= 2_000; seq++) {
            AuditEvent e = randomEvent(random);
            ChainRecord fast = ChainRecord.sealPrepared("node-1", seq, t, prev, PreparedEvent.of(e));
            ChainRecord tree = ChainRecord.seal(ChainRecord.Kind.event, "node-1", seq, t, prev, EventJson.toJson(e));
            assertThat(fast.line()).isEqualTo(tree.line());
            assertThat(fast.hash()).isEqualTo(tree.hash()).isEqualTo(ChainRecord.parse(fast.line()).computedHash());
            // What a sink stores: the line's UTF-8, made without the text; and the event time it notes.
            byte[] expected = tree.line().getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer stored = java.nio.ByteBuffer.allocate(fast.lineLength());
            fast.writeLine(stored);
            assertThat(stored.array()).isEqualTo(expected);
            assertThat(fast.lineLength()).isEqualTo(tree.lineLength()).isEqualTo(expected.length);
            assertThat(fast.knownEventTime()).contains(
                    Instant.parse(ChainRecord.parse(fast.line()).body().get("eventTime").asText()));
            assertThat(fast).isEqualTo(tree).isEqualTo(ChainRecord.parse(tree.line()));
            assertThat(tree.knownEventTime()).isEmpty();
            prev = fast.hash();
            t = t.plusNanos(random.nextInt(5_000_000));
        }
    }

    @Test
    void preparedRecordsWithExtremeTimesAndSequenceNumbersSealToTheTreeForm() throws Exception {
        AuditEvent e = Events.invoke(5);
        for (Instant t : List.of(Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.EPOCH)) {
            for (long seq : List.of(1L, 9L, 10L, 999_999_999_999L, Long.MAX_VALUE)) {
                ChainRecord fast = ChainRecord.sealPrepared("n", seq, t, ChainRecord.GENESIS, PreparedEvent.of(e));
                ChainRecord tree = ChainRecord.seal(ChainRecord.Kind.event, "n", seq, t, ChainRecord.GENESIS,
                        EventJson.toJson(e));
                assertThat(fast.line()).isEqualTo(tree.line());
                assertThat(fast.hash()).isEqualTo(ChainRecord.parse(fast.line()).computedHash());
            }
        }
    }

    @Test
    void aChainIsNotResumedFromATailWhoseHashCouldBreakOutOfItsLine() throws Exception {
        ChainRecord good = ChainRecord.seal(ChainRecord.Kind.event, "n", 1, Instant.EPOCH, ChainRecord.GENESIS,
                EventJson.toJson(Events.invoke(1)));
        String forged = good.line().replace(good.hash(), "0 x \\\" y"); // the parsed hash: 0 x " y
        ChainTail tail = new ChainTail(java.util.Optional.of(ChainRecord.parse(forged)), java.util.Optional.empty(),
                java.util.Optional.empty(), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Chain.resume("n", AuditSigningKey.ephemeral(), tail)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Chain.resume("n\"", AuditSigningKey.ephemeral(), ChainTail.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- random events ----------------------------------------------------------------------

    private static AuditEvent randomEvent(Random r) {
        AuditEvent.Builder b = AuditEvent.builder()
                .eventId(r.nextInt(10) == 0 ? text(r) : java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) r.nextInt()}).toString())
                .eventTime(Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000)))
                .eventSource(pick(r, "execute-api.amazonaws.com", "iam.amazonaws.com", "sts.amazonaws.com", "portcullis"))
                .eventName(r.nextBoolean() ? "Invoke" : text(r))
                .awsRegion(maybe(r, "us-east-1"))
                .sourceIPAddress(maybe(r, r.nextBoolean() ? "127.0.0.1" : text(r)))
                .userAgent(maybe(r, text(r)))
                .requestId(maybe(r, text(r)))
                .correlationId(maybe(r, text(r)))
                .errorCode(maybe(r, text(r)))
                .errorMessage(maybe(r, text(r)))
                .readOnly(r.nextBoolean())
                .latencyMicros(r.nextInt(3) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(100_000));
        if (r.nextInt(4) != 0) {
            List<String> statements = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                statements.add(text(r));
            }
            b.decision(new Decision(Decision.Outcome.values()[r.nextInt(3)], r.nextBoolean(), statements));
        }
        if (r.nextInt(5) != 0) {
            b.userIdentity(identity(r));
        }
        if (r.nextInt(4) != 0) {
            b.requestParameters(object(r, 0));
        }
        if (r.nextInt(4) == 0) {
            b.responseElements(object(r, 0));
        }
        if (r.nextInt(20) == 0) {
            b.eventVersion(text(r));
        }
        return b.build();
    }

    private static UserIdentity identity(Random r) {
        UserIdentity.SessionContext context = null;
        if (r.nextBoolean()) {
            UserIdentity.SessionIssuer issuer = r.nextInt(4) == 0 ? null : new UserIdentity.SessionIssuer(maybe(r, "Role"),
                    maybe(r, text(r)), maybe(r, text(r)), maybe(r, "111122223333"), maybe(r, text(r)));
            context = new UserIdentity.SessionContext(issuer,
                    r.nextInt(4) == 0 ? null : Instant.ofEpochMilli(r.nextLong() & 0xFFFFFFFFFFL),
                    r.nextInt(3) == 0 ? null : r.nextBoolean());
        }
        return new UserIdentity(maybe(r, pick(r, "AssumedRole", "IAMUser", "Root", "Anonymous")), maybe(r, text(r)),
                maybe(r, text(r)), maybe(r, "111122223333"), maybe(r, text(r)), context, maybe(r, text(r)));
    }

    private static ObjectNode object(Random r, int depth) {
        ObjectNode o = F.objectNode();
        for (int i = r.nextInt(depth == 0 ? 10 : 4); i > 0; i--) {
            o.set(r.nextInt(3) == 0 ? text(r) : pick(r, "apiId", "stage", "routeKey", "path", "Path", "a", "B", "_x",
                    "httpMethod", "status", "resource", "authorization"), value(r, depth));
        }
        return o;
    }

    private static JsonNode value(Random r, int depth) {
        int kind = r.nextInt(depth >= 3 ? 8 : 10);
        return switch (kind) {
            case 0, 1, 2, 3 -> F.textNode(text(r));
            case 4 -> F.numberNode(r.nextLong());
            case 5 -> switch (r.nextInt(5)) {
                case 0 -> F.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
                case 1 -> F.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(30) - 10));
                case 2 -> F.numberNode(new BigInteger(100, r));
                case 3 -> F.numberNode(r.nextFloat());
                default -> F.numberNode(r.nextInt());
            };
            case 6 -> F.booleanNode(r.nextBoolean());
            case 7 -> F.nullNode();
            case 8 -> object(r, depth + 1);
            default -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                yield a;
            }
        };
    }

    /** Strings that mix plain ASCII with every class of character the escaping treats differently. */
    private static String text(Random r) {
        int n = r.nextInt(r.nextInt(10) == 0 ? 200 : 24);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(12)) {
                case 0 -> s.append((char) r.nextInt(0x20));                       // control characters
                case 1 -> s.append(pick(r, "\"", "\\", "/", "\u007f", "\u0080")); // quote, backslash, slash, DEL
                case 2 -> s.append((char) (0x80 + r.nextInt(0x780)));             // two UTF-8 bytes
                case 3 -> s.append((char) (0x800 + r.nextInt(0xD800 - 0x800)));   // three UTF-8 bytes
                case 4 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000));       // a surrogate pair
                case 5 -> s.append((char) (0xD800 + r.nextInt(0x800)));           // a lone surrogate
                case 6 -> s.append((char) (0xE000 + r.nextInt(0x2000)));          // above the surrogates
                default -> s.append((char) (0x20 + r.nextInt(0x5F)));             // printable ASCII
            }
        }
        return s.toString();
    }

    private static String maybe(Random r, String s) {
        return r.nextInt(5) == 0 ? null : s;
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
