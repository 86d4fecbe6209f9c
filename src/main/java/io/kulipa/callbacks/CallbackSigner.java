package io.kulipa.callbacks;

import java.net.URI;
import java.util.Map;

/** The headers that sign one callback request (RFC 9421 and its Content-Digest), or none. */
@FunctionalInterface
public interface CallbackSigner {

    CallbackSigner NONE = (callback, url, method, body) -> Map.of();

    /** @param url the callback's URL as the merchant configured it (its host, not the checked address) */
    Map<String, String> headers(Callback callback, URI url, String method, byte[] body);
}
