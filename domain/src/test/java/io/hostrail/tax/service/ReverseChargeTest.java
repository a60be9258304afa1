package io.hostrail.tax.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.port.out.TaxRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

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

    @Test
    void withViesChecksOnTheLastCheckMustHaveFoundTheNumberValid() {
        TaxId austrian = new TaxId("ATU12345678");
        VatCheck valid = new VatCheck(VatCheck.Status.VALID, CHECKED, "ACME GMBH");
        VatCheck invalid = new VatCheck(VatCheck.Status.INVALID, CHECKED, null);
        VatCheck unavailable = new VatCheck(VatCheck.Status.UNAVAILABLE, CHECKED, null);

        assertThat(TaxService.reverseCharge("DE", "AT", austrian, valid, true)).isTrue();
        assertThat(TaxService.reverseCharge("DE", "AT", austrian, invalid, true)).as("invalid").isFalse();
        assertThat(TaxService.reverseCharge("DE", "AT", austrian, unavailable, true)).as("VIES unavailable").isFalse();
        assertThat(TaxService.reverseCharge("DE", "AT", austrian, null, true)).as("never checked").isFalse();
        assertThat(TaxService.reverseCharge("DE", "DE", new TaxId("DE123456789"), valid, true)).as("domestic, valid")
                .isFalse();
    }

    @Test
    void withViesChecksOffTheFormatIsEnough() {
        TaxId austrian = new TaxId("ATU12345678");
        assertThat(TaxService.reverseCharge("DE", "AT", austrian, null, false)).isTrue();
        assertThat(TaxService.reverseCharge("DE", "AT", austrian, new VatCheck(VatCheck.Status.INVALID, CHECKED, null), false))
                .as("a check is not consulted").isTrue();
    }

    @Test
    void invoicesFollowTheMode() {
        BillingSettings sellingFromGermany = new BillingSettings(TENANT, "DE", BillingSettings.defaults(TENANT).taxBasis(),
                BillingSettings.defaults(TENANT).taxRounding(), BillingSettings.defaults(TENANT).invoiceNumbers(),
                BillingSettings.defaults(TENANT).creditNoteNumbers(), 14, true,
                BillingSettings.defaults(TENANT).prorationGranularity(), 0);
        TaxRules austrianVat = new AustrianVat();
        TaxService formatOnly = new TaxService(austrianVat, null, null, null, null, null);
        TaxService viesRequired = new TaxService(austrianVat, null, null, null, null, null, true);
        Customer unavailable = austrianBusiness(new VatCheck(VatCheck.Status.UNAVAILABLE, CHECKED, null));
        Customer valid = austrianBusiness(new VatCheck(VatCheck.Status.VALID, CHECKED, "ACME GMBH"));

        StepVerifier.create(formatOnly.taxationFor(sellingFromGermany, unavailable))
                .assertNext(taxation -> assertThat(taxation.note()).isEqualTo(TaxService.REVERSE_CHARGE_NOTE))
                .verifyComplete();
        StepVerifier.create(viesRequired.taxationFor(sellingFromGermany, valid))
                .assertNext(taxation -> assertThat(taxation.note()).isEqualTo(TaxService.REVERSE_CHARGE_NOTE))
                .verifyComplete();
        StepVerifier.create(viesRequired.taxationFor(sellingFromGermany, unavailable))
                .assertNext(taxation -> {
                    assertThat(taxation.note()).isNull();
                    assertThat(taxation.rules()).extracting(rule -> rule.rate().name()).containsExactly("USt");
                })
                .verifyComplete();
    }

    private static final TenantId TENANT = new TenantId(UUID.fromString("01959a3c-2f4d-7000-8000-0000000000aa"));
    private static final Instant CHECKED = Instant.parse("2026-03-02T10:00:00Z");

    private static Customer austrianBusiness(VatCheck check) {
        return new Customer(UUID.fromString("01959a3c-2f4d-7000-8000-0000000000c1"), TENANT, "Acme GmbH",
                "accounts@acme.example", "Acme GmbH", new TaxId("ATU12345678"), null, Currency.getInstance("EUR"),
                Locale.GERMAN, Customer.Status.ACTIVE, new Address("Ring 1", null, "Wien", null, "1010", "AT"), List.of(),
                check, 0);
    }

    /** The one rule a tenant selling into Austria has. */
    private static final class AustrianVat implements TaxRules {

        private final TaxRule rule = new TaxRule(UUID.fromString("01959a3c-2f4d-7000-8000-0000000000d1"), TENANT, "AT", null,
                new TaxRate("USt", new BigDecimal("20"), false), 0, 0);

        @Override
        public Mono<TaxRule> create(TaxRule created) {
            return Mono.error(new UnsupportedOperationException("read only"));
        }

        @Override
        public Mono<TaxRule> find(TenantId tenant, UUID id) {
            return Mono.just(rule).filter(r -> r.id().equals(id));
        }

        @Override
        public Flux<TaxRule> list(TenantId tenant, String country) {
            return Flux.just(rule).filter(r -> country == null || r.country().equals(country));
        }

        @Override
        public Mono<TaxRule> update(TaxRule changed, long expectedVersion) {
            return Mono.error(new UnsupportedOperationException("read only"));
        }

        @Override
        public Mono<Boolean> delete(TenantId tenant, UUID id) {
            return Mono.error(new UnsupportedOperationException("read only"));
        }
    }
}
