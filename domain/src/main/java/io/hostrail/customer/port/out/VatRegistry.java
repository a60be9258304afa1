package io.hostrail.customer.port.out;

import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheckOutcome;
import reactor.core.publisher.Mono;

/**
 * The EU's register of VAT numbers (VIES). A check does not fail: when the register cannot answer, the outcome is
 * {@link VatCheckOutcome.Unavailable}, and the caller decides what that means. Checking is idempotent, so adapters
 * may retry.
 */
public interface VatRegistry {

    /** What the register says about {@code vatNumber}, an EU VAT number ({@link TaxId#isEuVat()}). */
    Mono<VatCheckOutcome> check(TaxId vatNumber);
}
