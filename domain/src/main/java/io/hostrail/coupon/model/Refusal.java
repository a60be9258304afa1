package io.hostrail.coupon.model;

import io.hostrail.shared.error.ErrorCode;

/**
 * Why a coupon cannot be used on an order. A business rejection, so a value rather than an exception; the codes are
 * published to clients and never change meaning.
 */
public enum Refusal {
    INACTIVE("coupon.inactive", "This coupon is not active."),
    NOT_YET_VALID("coupon.not_yet_valid", "This coupon is not valid yet."),
    EXPIRED("coupon.expired", "This coupon has expired."),
    EXHAUSTED("coupon.exhausted", "This coupon has been redeemed the maximum number of times."),
    CUSTOMER_LIMIT_REACHED("coupon.customer_limit_reached", "You have already redeemed this coupon as often as allowed."),
    CURRENCY_NOT_SUPPORTED("coupon.currency_not_supported", "This coupon cannot be used in the order's currency."),
    NOT_APPLICABLE("coupon.not_applicable", "This coupon does not apply to any product on the order.");

    private final String code;
    private final String message;

    Refusal(String code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The stable wire code, such as {@code coupon.expired}. */
    public String code() {
        return code;
    }

    /** A sentence safe to show the customer. */
    public String message() {
        return message;
    }

    public ErrorCode errorCode() {
        return ErrorCode.rejected(code);
    }
}
