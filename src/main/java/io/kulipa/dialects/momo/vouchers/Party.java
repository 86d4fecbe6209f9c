package io.kulipa.dialects.momo.vouchers;

/**
 * A person on a voucher who holds no wallet: the receiver, or the sender of a cash voucher.
 * Only the msisdn is needed (the SMS goes there); the rest is what the agent wrote down.
 */
public record Party(String msisdn, String firstName, String surname, String identificationType,
                    String identification) {
}
