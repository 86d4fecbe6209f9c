package io.kulipa.ussd;

import java.time.Instant;
import java.util.UUID;

/**
 * A merchant's USSD application: the service code it answers and the URL the gateway POSTs
 * each step of a session to, in Africa's Talking's callback protocol.
 *
 * @param merchantId the merchant it belongs to, or null for one registered by operations alone
 */
public record UssdApplication(UUID id, String serviceCode, String callbackUrl, String name, UUID merchantId,
                              Instant created) {
}
