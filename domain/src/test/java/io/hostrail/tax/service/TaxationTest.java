package io.hostrail.tax.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.model.Taxation;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a customer is taxed, decided from every rule of its tenant at once, as the billing run does for its batches. */
class TaxationTest {

    private static final TenantId TENANT = new TenantId(UUID.randomUUID());
    private static final BillingSettings SETTINGS = BillingSettings.defaults(TENANT);

    private final TaxRule quebecSales = rule("CA", "QC", "QST", "9.975", 1);
    private final TaxRule canadaGoods = rule("CA", null, "GST", "5", 0);
    private final TaxRule ontarioSales = rule("CA", "ON", "HST", "8", 1);
    private final TaxRule germany = rule("DE", null, "Umsatzsteuer", "19", 0);
    private final List<TaxRule> rules = List.of(quebecSales, germany, ontarioSales, canadaGoods);

    @Test
    void theRulesOfTheCustomersPlaceInTheOrderTheyApply() {
        Taxation taxation = TaxService.taxation(SETTINGS, customer(address("CA", "QC"), null, null), rules, false);
        assertThat(taxation.rules()).containsExactly(canadaGoods, quebecSales);
        assertThat(taxation.note()).isNull();
        assertThat(taxation.basis()).isEqualTo(SETTINGS.taxBasis());
        assertThat(TaxService.taxation(SETTINGS, customer(address("FR", null), null, null), rules, false).rules()).isEmpty();
    }

    @Test
    void exemptCustomersPayNoTaxAndTheInvoiceSaysWhy() {
        Taxation taxation = TaxService.taxation(SETTINGS, customer(address("DE", null), null, "Registered charity"), rules, false);
        assertThat(taxation.rules()).isEmpty();
        assertThat(taxation.note()).isEqualTo("Tax exempt: Registered charity");
    }

    @Test
    void reverseChargeLeavesTheTaxToTheCustomer() {
        BillingSettings germanSeller = new BillingSettings(TENANT, "DE", SETTINGS.taxBasis(), SETTINGS.taxRounding(),
                SETTINGS.invoiceNumbers(), SETTINGS.creditNoteNumbers(), SETTINGS.renewalLeadDays(),
                SETTINGS.applyCreditAutomatically(), SETTINGS.prorationGranularity(), 0);
        Taxation taxation = TaxService.taxation(germanSeller,
                customer(address("AT", null), new TaxId("ATU12345678"), null), List.of(rule("AT", null, "USt", "20", 0)), false);
        assertThat(taxation.rules()).isEmpty();
        assertThat(taxation.note()).isEqualTo(TaxService.REVERSE_CHARGE_NOTE);
    }

    @Test
    void aCustomerWithoutAnAddressIsRefusedOnlyWhileTheTenantTaxesSomewhere() {
        Customer nowhere = customer(null, null, null);
        assertThatThrownBy(() -> TaxService.taxation(SETTINGS, nowhere, rules, false))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(TaxService.PLACE_UNKNOWN));
        assertThat(TaxService.taxation(SETTINGS, nowhere, List.of(), false).rules()).isEmpty();
    }

    private static TaxRule rule(String country, String region, String name, String percent, int sequence) {
        return new TaxRule(UUID.randomUUID(), TENANT, country, region, new TaxRate(name, new BigDecimal(percent), false),
                sequence, 0);
    }

    private static Address address(String country, String region) {
        return new Address("1 Main Street", null, "Town", region, "12345", country);
    }

    private static Customer customer(Address address, TaxId taxId, String exemption) {
        return new Customer(UUID.randomUUID(), TENANT, "Acme", "billing@acme.example", null, taxId, exemption,
                Currency.getInstance("EUR"), Locale.ENGLISH, Customer.Status.ACTIVE, address, List.of(), null, 0);
    }
}
