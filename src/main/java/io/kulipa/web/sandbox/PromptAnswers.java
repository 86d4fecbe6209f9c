package io.kulipa.web.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a prompt on a virtual handset is answered, as data beside the prompt ({@code "answer"}), so
 * that the phone page draws any prompt, of any dialect, without knowing it:
 *
 * <pre>{@code
 * "answer": {
 *   "approve": "/sandbox/handsets/{msisdn}/prompts/{reference}/approve",  // POST, JSON of the fields
 *   "reject":  "/sandbox/handsets/{msisdn}/prompts/{reference}/reject",   // POST, no body; absent: no reject
 *   "approveLabel": "Approve",
 *   "fields": [
 *     {"name": "account", "label": "Pay from", "kind": "choice",
 *      "options": [{"value": "primary", "label": "Primary account (2500.00 KES)"}]},
 *     {"name": "pin", "label": "PIN", "kind": "secret", "pattern": "[0-9]{4,6}"}
 *   ]
 * }
 * }</pre>
 *
 * Kinds: {@code secret} (a PIN, an OTP: a masked input), {@code text}, {@code choice} (one of
 * {@code options}). Each field's {@code name} is the body field the {@code approve} endpoint
 * reads, written here, next to that endpoint, so that the page cannot send another name. A prompt
 * that brings its own {@code answer} (another part of the sandbox adding prompts of its own
 * kind) keeps it.
 */
final class PromptAnswers {

    private PromptAnswers() {
    }

    /** Adds the answer of the handset endpoints' own prompts to {@code prompt} unless it has one. */
    static void describe(String msisdn, Map<String, Object> prompt) {
        if (prompt.containsKey("answer") || !(prompt.get("reference") instanceof String reference)) {
            return;
        }
        String base = "/sandbox/handsets/" + msisdn + "/prompts/" + reference;
        List<Map<String, Object>> fields = new ArrayList<>();
        if (prompt.get("accounts") instanceof List<?> accounts && !accounts.isEmpty()) {
            List<Map<String, Object>> options = new ArrayList<>();
            for (Object a : accounts) {
                if (a instanceof Map<?, ?> m) {
                    options.add(Map.of("value", String.valueOf(m.get("number")), "label", m.get("name") + " ("
                            + m.get("balance") + " " + m.get("currency") + ")"));
                }
            }
            // SandboxRoutes.approve reads "account".
            fields.add(field("account", "Pay from", "choice", Map.of("options", options)));
        }
        // SandboxRoutes.approve reads "pin".
        fields.add(field("pin", "PIN", "secret", Map.of("pattern", "[0-9]{4,6}")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("approve", base + "/approve");
        answer.put("reject", base + "/reject");
        answer.put("approveLabel", prompt.containsKey("amount") ? "Pay" : "Approve");
        answer.put("fields", fields);
        prompt.put("answer", answer);
    }

    private static Map<String, Object> field(String name, String label, String kind, Map<String, Object> more) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("label", label);
        f.put("kind", kind);
        f.putAll(more);
        return f;
    }
}
