package dev.portcullis.core.policy;

/** One statement compiled into matchers. Immutable; shared by every request. */
final class CompiledStatement {

    final int index;
    final String sid;
    final Effect effect;
    final Glob[] actions;      // lower-case
    final boolean notAction;
    final Object[] resources;  // Glob or PatternTemplate (with variables); null = no Resource element
    final boolean notResource;
    final PrincipalMatcher principal; // null = no Principal element
    final CompiledCondition[] conditions;
    final StatementModel model;

    CompiledStatement(int index, StatementModel model, Glob[] actions, Object[] resources,
                      PrincipalMatcher principal, CompiledCondition[] conditions) {
        this.index = index;
        this.sid = model.sid();
        this.effect = model.effect();
        this.actions = actions;
        this.notAction = model.notAction();
        this.resources = resources;
        this.notResource = model.notResource();
        this.principal = principal;
        this.conditions = conditions;
        this.model = model;
    }

    boolean matchesAction(String lowerAction) {
        boolean any = false;
        for (Glob g : actions) {
            if (g.matches(lowerAction)) {
                any = true;
                break;
            }
        }
        return any != notAction;
    }

    boolean matchesResource(String resource, ContextValues ctx) {
        if (resources == null) {
            return true;
        }
        boolean any = false;
        for (Object r : resources) {
            if (r instanceof Glob g ? g.matches(resource) : resolvedMatches((PatternTemplate) r, resource, ctx)) {
                any = true;
                break;
            }
        }
        return any != notResource;
    }

    private static boolean resolvedMatches(PatternTemplate t, String resource, ContextValues ctx) {
        return t.matchesResolved(ctx, resource);
    }

    /** All conditions hold (conditions in a block are ANDed). */
    boolean conditionsHold(ContextValues ctx) {
        for (CompiledCondition c : conditions) {
            if (!c.evaluate(ctx)) {
                return false;
            }
        }
        return true;
    }

    /** {@code Sid} if present, else {@code #index}. */
    String label() {
        return sid != null ? sid : "#" + index;
    }
}
