package io.hostrail.ledger.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.Balances.AccountTotals;
import io.hostrail.ledger.model.Balances.CustomerBalance;
import io.hostrail.ledger.model.Balances.TrialBalance;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.ledger.model.ReceivablesAging;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Money movements as balanced ledger transactions, and the balances derived from them. Manual credits are the first
 * movement; invoices, payments and refunds record theirs here as they arrive.
 */
public final class LedgerService {

    public static final ErrorCode CREDIT_INVALID = ErrorCode.validation("credit.invalid");
    static final int MAX_REASON = 500;

    /** Published when a customer is given credit by hand. */
    public record CreditGranted(UUID aggregateId, UUID transactionId, String currency, long amountMinor, String reason)
            implements DomainEvent {

        @Override
        public String type() {
            return "customer.credit_granted";
        }
    }

    /** The movement recorded, and the customer's balance after it. */
    public record Granted(UUID transactionId, CustomerBalance balance) {
    }

    private final Ledger ledger;
    private final CustomerService customers;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public LedgerService(Ledger ledger, CustomerService customers, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit,
            IdGenerator ids, Clock clock) {
        this.ledger = ledger;
        this.customers = customers;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Gives a customer credit, in its billing currency, which later invoices use up. Recorded as a debit of credit
     * adjustments and a credit of the customer's credit account, in one transaction with its event and audit record.
     */
    public Mono<Granted> grantCredit(Principal actor, UUID customerId, String amount, String currency, String reason) {
        return unitOfWork.inTransaction(() -> customers.accessible(actor, customerId).flatMap(customer -> {
            Money credit;
            String why;
            try {
                FieldErrors errors = new FieldErrors();
                String code = customer.currency().getCurrencyCode();
                if (currency != null && !currency.strip().equalsIgnoreCase(code)) {
                    errors.add("currency", "must be the customer's billing currency, " + code);
                }
                credit = errors.check("amount", () -> positive(Money.parse(FieldErrors.required(amount), code)));
                why = errors.check("reason", () -> {
                    String text = FieldErrors.required(reason);
                    if (text.length() > MAX_REASON) {
                        throw new IllegalArgumentException("at most " + MAX_REASON + " characters");
                    }
                    return text;
                });
                errors.throwIfAny(CREDIT_INVALID, "The credit has invalid fields.");
            } catch (DomainException e) {
                return Mono.error(e);
            }
            LedgerTransaction movement = new LedgerTransaction(ids.newId(), actor.tenant(), "manual_credit", customerId,
                    null, why, clock.instant(), List.of(LedgerEntry.debit(Account.CREDIT_ADJUSTMENTS, customerId, credit),
                            LedgerEntry.credit(Account.CUSTOMER_CREDIT, customerId, credit)));
            return ledger.record(movement)
                    .then(events.record(actor.tenant(), new CreditGranted(customerId, movement.id(),
                            credit.currencyCode(), credit.minorUnits(), why)))
                    .then(audit.record(actor.tenant(), Actors.of(actor), "customer.credit_granted", "customer",
                            customerId.toString(), Map.of(), Map.of("amount", credit.toString(), "reason", why,
                                    "transaction", movement.id().toString())))
                    .then(balanceOf(customer))
                    .map(balance -> new Granted(movement.id(), balance));
        }));
    }

    /** The customer's credit and amount due, in its billing currency; a client user may ask for its own only. */
    public Mono<CustomerBalance> balance(Principal actor, UUID customerId) {
        return unitOfWork.inTransaction(() -> customers.accessible(actor, customerId).flatMap(this::balanceOf));
    }

    /** What customers owe, by how long it is overdue as of the end of {@code asOf} (UTC), derived from the ledger. */
    public Mono<ReceivablesAging> receivablesAging(Principal actor, LocalDate asOf) {
        Instant endOfDay = asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return unitOfWork.inTransactionMany(() -> ledger.openReceivables(actor.tenant(), endOfDay)).collectList()
                .map(open -> ReceivablesAging.of(asOf, open));
    }

    /** Every account's totals per currency, and whether the ledger balances: it must, always. */
    public Flux<TrialBalance> trialBalance(Principal actor) {
        return unitOfWork.inTransactionMany(() -> ledger.totals(actor.tenant()))
                .collectMultimap(totals -> totals.debits().currencyCode(), totals -> totals, TreeMap::new)
                .flatMapMany(byCurrency -> Flux.fromIterable(byCurrency.entrySet()).map(currency -> {
                    List<AccountTotals> accounts = new ArrayList<>(currency.getValue());
                    accounts.sort(Comparator.comparing(AccountTotals::account));
                    Money zero = Money.zero(currency.getKey());
                    return new TrialBalance(currency.getKey(), accounts,
                            accounts.stream().map(AccountTotals::debits).reduce(zero, Money::plus),
                            accounts.stream().map(AccountTotals::credits).reduce(zero, Money::plus));
                }));
    }

    /** The customer's credit and amount due, inside the caller's unit of work. */
    public Mono<CustomerBalance> balanceOf(Customer customer) {
        return ledger.customerTotals(customer.tenant(), customer.id())
                .filter(totals -> totals.debits().currency().equals(customer.currency()))
                .reduce(CustomerBalance.zero(customer.currency()), CustomerBalance::plus);
    }

    /**
     * The credit each customer holds in its billing currency, all of them read in one query, inside the caller's unit
     * of work; customers without any are left out.
     */
    public Mono<Map<UUID, Money>> creditsOf(TenantId tenant, Collection<Customer> customers) {
        Map<UUID, Customer> byId = new HashMap<>();
        customers.forEach(customer -> byId.put(customer.id(), customer));
        if (byId.isEmpty()) {
            return Mono.just(Map.of());
        }
        // One row per customer and currency; only the billing currency's counts, as in balanceOf.
        return ledger.customerTotals(tenant, byId.keySet(), Account.CUSTOMER_CREDIT)
                .filter(found -> found.totals().debits().currency().equals(byId.get(found.customerId()).currency()))
                .map(found -> Map.entry(found.customerId(),
                        CustomerBalance.zero(byId.get(found.customerId()).currency()).plus(found.totals()).credit()))
                .filter(credit -> credit.getValue().isPositive())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static Money positive(Money amount) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("must be more than zero");
        }
        return amount;
    }
}
