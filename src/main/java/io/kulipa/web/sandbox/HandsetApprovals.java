package io.kulipa.web.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.providers.CustomerApprovals;
import io.kulipa.providers.simulator.SimApproval;
import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimulatedApprovals;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The handset's view of approval requests that are not payments, and of the wallet's KYC profile. */
final class HandsetApprovals {

    private static final int NAME_MAX_CHARS = 64;
    private static final List<String> GENDERS = List.of("MALE", "FEMALE", "OTHER");

    private HandsetApprovals() {
    }

    static Map<String, Object> prompt(SimApproval a) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("reference", a.reference());
        p.put("kind", a.kind().name());
        p.put("message", a.description() + " Enter your PIN to approve.");
        if (a.validUntil() != null) {
            p.put("validUntil", a.validUntil().toString());
        }
        p.put(SimTransaction.APPROVE.equals(a.planned()) ? "autoApprovesAt" : "expiresAt", a.dueAt().toString());
        p.put("created", a.created().toString());
        return p;
    }

    static Map<String, Object> profile(CustomerApprovals.Profile p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("givenName", p.givenName());
        out.put("familyName", p.familyName());
        out.put("gender", p.gender());
        out.put("birthDate", p.birthDate().toString());
        out.put("locale", p.locale());
        return out;
    }

    /**
     * Applies {@code {"kyc": {"givenName", "familyName", "gender", "birthDate", "locale"}}}; absent
     * fields keep what the number has. Empty when done (or nothing asked), else the error message.
     */
    static Optional<String> configureProfile(SimulatedApprovals approvals, String msisdn, JsonNode kyc) {
        if (kyc == null || kyc.isNull()) {
            return Optional.empty();
        }
        if (!kyc.isObject()) {
            return Optional.of("kyc: must be an object such as {\"givenName\": \"Amina\", \"familyName\": \"Banda\"}");
        }
        CustomerApprovals.Profile now = approvals.profile(msisdn);
        String given = text(kyc, "givenName", now.givenName());
        String family = text(kyc, "familyName", now.familyName());
        String gender = text(kyc, "gender", now.gender());
        String locale = text(kyc, "locale", now.locale());
        for (String[] f : new String[][] {{"givenName", given}, {"familyName", family}, {"locale", locale}}) {
            if (f[1] == null || f[1].isBlank() || f[1].length() > NAME_MAX_CHARS) {
                return Optional.of("kyc." + f[0] + ": must be a string of 1 to " + NAME_MAX_CHARS + " characters");
            }
        }
        if (gender == null || !GENDERS.contains(gender)) {
            return Optional.of("kyc.gender: must be one of " + GENDERS);
        }
        LocalDate birth;
        try {
            String text = text(kyc, "birthDate", now.birthDate().toString());
            birth = LocalDate.parse(text == null ? "" : text);
        } catch (DateTimeParseException e) {
            return Optional.of("kyc.birthDate: must be a date such as \"1990-04-21\"");
        }
        approvals.profile(new CustomerApprovals.Profile(msisdn, given, family, gender, birth, locale));
        return Optional.empty();
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        return v.isTextual() ? v.asText().trim() : null;
    }
}
