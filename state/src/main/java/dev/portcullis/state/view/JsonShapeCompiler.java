package dev.portcullis.state.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.state.IamException;
import java.io.IOException;

/**
 * Interim compiler until the policy engine lands: accepts a JSON object within the size quota (IAM
 * counts characters without white space) and keeps the parsed tree as the "compiled" form.
 */
final class JsonShapeCompiler implements PolicyCompiler {
    static final JsonShapeCompiler INSTANCE = new JsonShapeCompiler();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Object compile(String document, PolicyUse use) throws IamException {
        if (document == null || document.isEmpty()) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        int max = maxSize(use);
        if (nonWhitespaceLength(document) > max) {
            throw IamException.limitExceeded("Cannot exceed quota for " + quotaName(use) + ": " + max);
        }
        try {
            JsonNode tree = JSON.readTree(document);
            if (tree == null || !tree.isObject()) {
                throw IamException.malformedPolicy("Syntax errors in policy.");
            }
            return tree;
        } catch (IOException e) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
    }

    static int maxSize(PolicyUse use) {
        return switch (use) {
            case MANAGED -> 6144;
            case INLINE_USER, TRUST -> 2048;
            case INLINE_ROLE -> 10240;
            case INLINE_GROUP -> 5120;
            case RESOURCE -> 20480;
        };
    }

    private static String quotaName(PolicyUse use) {
        return switch (use) {
            case MANAGED -> "PolicySize";
            case INLINE_USER -> "UserPolicySize";
            case INLINE_ROLE -> "RolePolicySize";
            case INLINE_GROUP -> "GroupPolicySize";
            case TRUST -> "ACLSizePerRole";
            case RESOURCE -> "ResourcePolicySize";
        };
    }

    private static int nonWhitespaceLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
