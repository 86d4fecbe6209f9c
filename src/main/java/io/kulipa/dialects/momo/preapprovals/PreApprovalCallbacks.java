package io.kulipa.dialects.momo.preapprovals;

/** Tells the merchant a pre-approval's final status, once, at its callback URL; implemented by the dialect. */
public interface PreApprovalCallbacks {
    void send(PreApproval preApproval);
}
