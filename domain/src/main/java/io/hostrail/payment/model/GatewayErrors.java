package io.hostrail.payment.model;

import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;

/**
 * Stable codes for the failures of provider calls that have no outcome type of their own (saved payment methods,
 * event catch-up). Charges and refunds never fail with these: they answer {@code Unknown}.
 */
public final class GatewayErrors {

    /** The provider was down, answered 5xx, reset the connection, or the breaker or bulkhead refused the call. */
    public static final ErrorCode UNAVAILABLE = new ErrorCode("payment.gateway_unavailable", ErrorKind.UNAVAILABLE);
    /** The provider did not answer in time. */
    public static final ErrorCode TIMEOUT = new ErrorCode("payment.gateway_timeout", ErrorKind.TIMEOUT);
    /** The provider refused the request (bad credentials, an unknown customer or payment method). */
    public static final ErrorCode REFUSED = new ErrorCode("payment.gateway_refused", ErrorKind.REJECTED);

    private GatewayErrors() {
    }
}
