package io.hostrail.ledger.model;

import java.util.Locale;

/** The ledger's accounts. Assets and expenses grow with debits; liabilities and revenue with credits. */
public enum Account {
    /** What customers owe: invoices raise it, payments and applied credit lower it. */
    ACCOUNTS_RECEIVABLE,
    REVENUE,
    TAX_PAYABLE,
    /** What the tenant owes customers as credit: overpayments and manual credits raise it. */
    CUSTOMER_CREDIT,
    /** Where goodwill and correction credits come from. */
    CREDIT_ADJUSTMENTS,
    CASH,
    /** Receivables written off as uncollectible: an expense; paying such an invoice later recovers it. */
    BAD_DEBT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Account fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
