package io.kulipa.cards;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence of the card vault; implemented in {@code store.JdbiCardStore}. */
public interface CardStore {

    /** A vault row: the card and its sealed PAN. */
    record Sealed(Card card, byte[] panCiphertext, String keyId) {
    }

    /**
     * Links the card unless the MSISDN already has a card with this lookup hash; answers the
     * card now linked (the earlier one on a repeat).
     */
    Card linkIfAbsent(Sealed sealed);

    Optional<Card> find(UUID id);

    /** Keeps a card for one payment only: written already delinked, so no MSISDN lists it. */
    void hold(Sealed sealed);

    Optional<Sealed> sealed(UUID id);

    /** The MSISDN's linked cards, oldest first. */
    List<Card> linked(String msisdn);

    /** Unlinks the card from its MSISDN; false when it was not linked. */
    boolean delink(UUID id, String msisdn);
}
