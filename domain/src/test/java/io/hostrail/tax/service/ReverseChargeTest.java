package io.hostrail.tax.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.customer.model.TaxId;
import org.junit.jupiter.api.Test;

class ReverseChargeTest {

    @Test
    void appliesToEuBusinessesInAnotherMemberStateOnly() {
        assertThat(TaxService.reverseCharge("DE", "AT", new TaxId("ATU12345678"))).isTrue();
        assertThat(TaxService.reverseCharge("DE", "GR", new TaxId("EL123456789"))).isTrue();
        assertThat(TaxService.reverseCharge("DE", "DE", new TaxId("DE123456789"))).as("domestic").isFalse();
        assertThat(TaxService.reverseCharge("DE", "AT", null)).as("consumer").isFalse();
        assertThat(TaxService.reverseCharge("DE", "AT", new TaxId("DE123456789"))).as("VAT id of another state").isFalse();
        assertThat(TaxService.reverseCharge("DE", "US", new TaxId("EIN123456"))).as("outside the EU").isFalse();
        assertThat(TaxService.reverseCharge("US", "AT", new TaxId("ATU12345678"))).as("seller outside the EU").isFalse();
        assertThat(TaxService.reverseCharge(null, "AT", new TaxId("ATU12345678"))).as("seller unknown").isFalse();
    }
}
