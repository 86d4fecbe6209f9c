package io.kulipa.dialects.momo.credentials;

/** Why a MoMo call was not let through. The dialect turns each into its own 401 answer. */
public enum CredentialRefusal {
    /** No Ocp-Apim-Subscription-Key at all. */
    MISSING_SUBSCRIPTION_KEY,
    /** A subscription key nobody holds. */
    UNKNOWN_SUBSCRIPTION_KEY,
    /** A merchant's key, but for another product than the one called. */
    WRONG_PRODUCT,
    /** API user unknown, of another merchant, without an API key, or the API key is wrong. */
    BAD_CREDENTIALS,
    /** No bearer token. */
    MISSING_TOKEN,
    /** A bearer token that was never issued. */
    UNKNOWN_TOKEN,
    /** A token past its lifetime. */
    EXPIRED_TOKEN,
    /** A live token issued for another merchant or another product than the subscription key's. */
    FOREIGN_TOKEN
}
