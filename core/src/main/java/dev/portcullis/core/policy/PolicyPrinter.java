package dev.portcullis.core.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a compiled policy back as canonical JSON; parsing the output yields the same policy. */
final class PolicyPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyPrinter() {}

    static String print(Policy policy) {
        ObjectNode root = JSON.createObjectNode();
        root.put("Version", policy.version());
        if (policy.id() != null) {
            root.put("Id", policy.id());
        }
        ArrayNode statements = root.putArray("Statement");
        for (CompiledStatement s : policy.statements()) {
            statements.add(statement(s.model));
        }
        return root.toString();
    }

    private static ObjectNode statement(StatementModel m) {
        ObjectNode o = JSON.createObjectNode();
        if (m.sid() != null) {
            o.put("Sid", m.sid());
        }
        o.put("Effect", m.effect().json());
        if (m.principal() != null) {
            String name = m.notPrincipal() ? "NotPrincipal" : "Principal";
            if (m.principal().containsKey("*")) {
                o.put(name, "*");
            } else {
                ObjectNode p = o.putObject(name);
                for (Map.Entry<String, List<String>> e : m.principal().entrySet()) {
                    array(p.putArray(e.getKey()), e.getValue());
                }
            }
        }
        array(o.putArray(m.notAction() ? "NotAction" : "Action"), m.actions());
        if (m.resources() != null) {
            array(o.putArray(m.notResource() ? "NotResource" : "Resource"), m.resources());
        }
        if (!m.conditions().isEmpty()) {
            Map<String, ObjectNode> byOperator = new LinkedHashMap<>();
            ObjectNode c = o.putObject("Condition");
            for (StatementModel.ConditionModel cm : m.conditions()) {
                ObjectNode block = byOperator.computeIfAbsent(cm.operator(), c::putObject);
                array(block.putArray(cm.key()), cm.values());
            }
        }
        return o;
    }

    private static void array(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
