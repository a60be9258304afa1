package io.hostrail.payment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayModelTest {

    private static final TenantId TENANT = TenantId.of("0190a000-0000-7000-8000-000000000001");

    @Test
    @DisplayName("accounts, pending outcomes and set-ups never print their secrets")
    void secretsNeverPrinted() {
        assertThat(new StripeAccount(TENANT, "sk_live_secret").toString()).doesNotContain("sk_live_secret");
        assertThat(new PayPalAccount(TENANT, "client-id", "pp-secret").toString())
                .contains("client-id").doesNotContain("pp-secret");
        assertThat(new PaymentOutcome.Pending("pi_1", "pi_1_secret_abc", null).toString()).doesNotContain("secret_abc");
        assertThat(new PaymentMethodSetup("seti_1", "seti_1_secret_abc").toString()).doesNotContain("secret_abc");
    }

    @Test
    @DisplayName("a charge must be positive, and off-session only with a saved payment method")
    void chargeRules() {
        UUID attempt = UUID.randomUUID();
        assertThatThrownBy(() -> new ChargeRequest(attempt, Money.zero("EUR"), null, null, false, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChargeRequest(attempt, Money.ofMinor(100, "EUR"), "cus_1", null, true, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChargeRequest(attempt, Money.ofMinor(100, "EUR"), null, null, false, null, null, null).metadata())
                .isEqualTo(Map.of());
        assertThatThrownBy(() -> new RefundRequest(UUID.randomUUID(), "pi_1", Money.ofMinor(-1, "EUR"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
