package io.hostrail.identity.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BuiltInRoleTest {

    @Test
    void ownersAndAdminsHoldEveryPermission() {
        assertThat(BuiltInRole.OWNER.permissions()).isEqualTo(Permissions.ALL);
        assertThat(BuiltInRole.ADMIN.permissions()).isEqualTo(Permissions.ALL);
    }

    @Test
    void onlyOwnersAndAdminsSeeTheAdministration() {
        for (BuiltInRole role : EnumSet.complementOf(EnumSet.of(BuiltInRole.OWNER, BuiltInRole.ADMIN))) {
            assertThat(role.permissions()).as(role.roleName()).doesNotContainAnyElementsOf(Permissions.ADMINISTRATIVE_READS)
                    .doesNotContain(Permissions.USER_WRITE, Permissions.ROLE_WRITE, Permissions.API_KEY_WRITE,
                            Permissions.SETTINGS_WRITE);
        }
    }

    @Test
    void eachRoleDoesItsJob() {
        assertThat(BuiltInRole.BILLING.permissions()).contains(Permissions.INVOICE_WRITE, Permissions.PAYMENT_REFUND,
                        Permissions.PAYMENT_METHOD_WRITE)
                .doesNotContain(Permissions.PROVISIONING_WRITE);
        assertThat(BuiltInRole.SUPPORT.permissions()).contains(Permissions.TICKET_WRITE, Permissions.INVOICE_READ)
                .doesNotContain(Permissions.INVOICE_WRITE);
        assertThat(BuiltInRole.PROVISIONING.permissions()).contains(Permissions.PROVISIONING_WRITE, Permissions.DOMAIN_WRITE)
                .doesNotContain(Permissions.PAYMENT_REFUND);
        assertThat(BuiltInRole.READONLY.permissions()).allMatch(p -> p.value().endsWith(":read"));
    }
}
