package io.hostrail.payment.model;

/** Whether a provider confirmed that a webhook is its own. */
public enum SignatureVerdict {
    /** The provider confirmed the signature. */
    VERIFIED,
    /** The provider says the signature does not match, or the request to check it was malformed. */
    REJECTED,
    /** The provider could not be asked; the webhook is neither accepted nor refused for good (answer 5xx, it comes again). */
    UNAVAILABLE
}
