package io.kulipa.dialects.scantopay.remote.managers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Wallet brands, their managers and their wallet profiles, as the Remote API keeps them. */
public interface ManagerStore {

    record Brand(UUID id, String name, Instant createdAt) {
    }

    /** Adds a brand; false when the name is taken. */
    boolean addBrand(Brand brand);

    Optional<Brand> brand(UUID id);

    Optional<Brand> brandByName(String name);

    List<Brand> brands(int limit);

    /**
     * Sets the brand's manager (mode and credential, the other mode's credential cleared); false
     * when another brand's manager has the username.
     */
    boolean putManager(Manager manager, Instant at);

    Optional<Manager> manager(UUID brandId);

    Optional<Manager> managerByUsername(String username);

    /** The brand's wallet profile of {@code msisdn}, made on first use: one per MSISDN per brand. */
    UUID profile(UUID brandId, String msisdn, Instant at);
}
