package io.hostrail.ledger.model;

import io.hostrail.shared.model.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What customers owe, by how long it is overdue: the receivable the ledger holds for each invoice, in the buckets
 * accountants use (current, 1–30, 31–60, 61–90 and over 90 days past due), per currency, in total and per customer.
 * An invoice is overdue from the day after its due date, in UTC.
 */
public record ReceivablesAging(LocalDate asOf, List<CurrencyAging> currencies) {

    public enum Bucket {
        CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90;

        static Bucket of(long daysOverdue) {
            if (daysOverdue <= 0) {
                return CURRENT;
            }
            return daysOverdue <= 30 ? DAYS_1_30 : daysOverdue <= 60 ? DAYS_31_60 : daysOverdue <= 90 ? DAYS_61_90 : OVER_90;
        }
    }

    /** What the ledger's receivable holds for one invoice. */
    public record OpenReceivable(UUID invoiceId, String number, UUID customerId, Instant dueAt, Money amount) {

        public OpenReceivable {
            Objects.requireNonNull(invoiceId, "invoiceId");
            Objects.requireNonNull(dueAt, "dueAt");
            Objects.requireNonNull(amount, "amount");
        }
    }

    public record CustomerAging(UUID customerId, Map<Bucket, Money> buckets, Money total, int invoices) {
    }

    public record CurrencyAging(String currency, Map<Bucket, Money> buckets, Money total, List<CustomerAging> customers) {
    }

    /** Sorts the receivables into buckets as of the end of {@code asOf}; nothing owed is left out. */
    public static ReceivablesAging of(LocalDate asOf, List<OpenReceivable> receivables) {
        Map<String, Map<UUID, List<OpenReceivable>>> byCurrency = new TreeMap<>();
        for (OpenReceivable receivable : receivables) {
            if (receivable.amount().isPositive()) {
                byCurrency.computeIfAbsent(receivable.amount().currencyCode(), c -> new LinkedHashMap<>())
                        .computeIfAbsent(receivable.customerId(), c -> new ArrayList<>()).add(receivable);
            }
        }
        List<CurrencyAging> currencies = new ArrayList<>();
        byCurrency.forEach((currency, byCustomer) -> {
            Money zero = Money.zero(currency);
            Map<Bucket, Money> totals = empty(zero);
            List<CustomerAging> customers = new ArrayList<>();
            byCustomer.forEach((customer, open) -> {
                Map<Bucket, Money> buckets = empty(zero);
                for (OpenReceivable receivable : open) {
                    LocalDate due = receivable.dueAt().atZone(ZoneOffset.UTC).toLocalDate();
                    Bucket bucket = Bucket.of(ChronoUnit.DAYS.between(due, asOf));
                    buckets.merge(bucket, receivable.amount(), Money::plus);
                    totals.merge(bucket, receivable.amount(), Money::plus);
                }
                customers.add(new CustomerAging(customer, buckets, sum(buckets, zero), open.size()));
            });
            customers.sort(Comparator.comparing((CustomerAging c) -> c.total().minorUnits()).reversed()
                    .thenComparing(CustomerAging::customerId));
            currencies.add(new CurrencyAging(currency, totals, sum(totals, zero), customers));
        });
        return new ReceivablesAging(asOf, currencies);
    }

    private static Map<Bucket, Money> empty(Money zero) {
        Map<Bucket, Money> buckets = new EnumMap<>(Bucket.class);
        for (Bucket bucket : Bucket.values()) {
            buckets.put(bucket, zero);
        }
        return buckets;
    }

    private static Money sum(Map<Bucket, Money> buckets, Money zero) {
        return buckets.values().stream().reduce(zero, Money::plus);
    }
}
