package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.List;

/** Validated model → matchers. Runs once per policy, when it is written. */
final class PolicyCompiler {

    private PolicyCompiler() {}

    static Policy compile(String document, PolicyKind kind, String version, String id, List<StatementModel> models) {
        boolean variables = version.equals(PolicyParser.V2012);
        List<CompiledStatement> out = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            out.add(statement(i, models.get(i), variables));
        }
        return new Policy(document, kind, version, id, out);
    }

    private static CompiledStatement statement(int index, StatementModel m, boolean variables) {
        Glob[] actions = new Glob[m.actions().size()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = Glob.ofPattern(m.actions().get(i), true);
        }
        Object[] resources = null;
        if (m.resources() != null) {
            resources = new Object[m.resources().size()];
            for (int i = 0; i < resources.length; i++) {
                PatternTemplate t = PatternTemplate.parse(m.resources().get(i), true, variables);
                resources[i] = t.hasVariables() ? t : Glob.of(t.parts(), false);
            }
        }
        PrincipalMatcher principal = m.principal() == null ? null : new PrincipalMatcher(m.principal(), m.notPrincipal());
        CompiledCondition[] conditions = new CompiledCondition[m.conditions().size()];
        for (int i = 0; i < conditions.length; i++) {
            StatementModel.ConditionModel c = m.conditions().get(i);
            ConditionOperator.Parsed op = ConditionOperator.parse(c.operator());
            boolean vars = variables && op.operator().allowsVariables();
            Object[] values = new Object[c.values().size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = CompiledCondition.compileValue(op.operator().base(), c.values().get(k), vars);
            }
            conditions[i] = new CompiledCondition(op, c.key(), c.values(), values);
        }
        return new CompiledStatement(index, m, actions, resources, principal, conditions);
    }
}
