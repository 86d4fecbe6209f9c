package io.kulipa.dialects.momo;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a MoMo account holder exists and is active in a target environment: the rule behind
 * {@code accountholder/{type}/{id}/active}, {@code basicuserinfo} and consent requests. Kulipa's
 * simulated wallets are held by phone number only, so an active holder is a well-formed number
 * of the environment's country; an EMAIL or PARTY_CODE holder is never found.
 */
final class CheckingAccountHolder {

    /** The account holder id types MoMo's path accepts, in its lower-case spelling. */
    static final Set<String> ID_TYPES = Set.of("msisdn", "email", "party_code");
    private static final String MSISDN = "msisdn";

    /** Whether the id type is one of MoMo's, whatever its case. */
    boolean knownType(String idType) {
        return ID_TYPES.contains(idType.toLowerCase(Locale.ROOT));
    }

    boolean isActive(MomoEnvironments.Environment env, String idType, String id) {
        return MSISDN.equals(idType.toLowerCase(Locale.ROOT)) && holds(env, id);
    }

    /** Whether the environment's wallet platform holds an account for this number. */
    boolean holds(MomoEnvironments.Environment env, String msisdn) {
        return env.country().accepts(msisdn);
    }
}
