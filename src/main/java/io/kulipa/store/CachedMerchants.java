package io.kulipa.store;

import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.PaymentKind;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Merchants read at most once per {@link #FRESH_FOR} per token digest and per id, instead of one
 * database round trip for every request's authentication and every webhook (ADR 14). Only
 * merchants that exist are kept (a new merchant is seen at once); this node's own writes empty the
 * cache; a change made through another node is seen here within {@link #FRESH_FOR}.
 */
public final class CachedMerchants implements MerchantStore {

    /** How long a merchant read from the database is used without reading it again. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(1);
    /** Entries kept at most; beyond it the cache is emptied (a token scan cannot grow it). */
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Merchant merchant, long readAtNanos) {
    }

    private final MerchantStore store;
    private final ConcurrentHashMap<String, Entry> byDigest = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Entry> byId = new ConcurrentHashMap<>();

    public CachedMerchants(MerchantStore store) {
        this.store = store;
    }

    @Override
    public Optional<Merchant> byTokenDigest(String tokenDigest) {
        return cached(byDigest, tokenDigest, store::byTokenDigest);
    }

    @Override
    public Optional<Merchant> byId(UUID id) {
        return cached(byId, id, store::byId);
    }

    private <K> Optional<Merchant> cached(ConcurrentHashMap<K, Entry> map, K key,
                                          Function<K, Optional<Merchant>> read) {
        long now = System.nanoTime();
        Entry e = map.get(key);
        if (e != null && now - e.readAtNanos() < FRESH_FOR.toNanos()) {
            return Optional.of(e.merchant());
        }
        Optional<Merchant> m = read.apply(key);
        if (m.isPresent()) {
            if (map.size() >= MAX_ENTRIES) {
                map.clear();
            }
            map.put(key, new Entry(m.get(), now));
        } else {
            map.remove(key);
        }
        return m;
    }

    @Override
    public Optional<Merchant> byName(String name) {
        return store.byName(name);
    }

    @Override
    public void insert(Merchant merchant, String tokenDigest) {
        try {
            store.insert(merchant, tokenDigest);
        } finally {
            forget();
        }
    }

    @Override
    public void replaceToken(UUID merchantId, String tokenDigest) {
        try {
            store.replaceToken(merchantId, tokenDigest);
        } finally {
            forget();
        }
    }

    @Override
    public void setCallbackUrl(UUID merchantId, PaymentKind kind, String url) {
        try {
            store.setCallbackUrl(merchantId, kind, url);
        } finally {
            forget();
        }
    }

    private void forget() {
        byDigest.clear();
        byId.clear();
    }
}
