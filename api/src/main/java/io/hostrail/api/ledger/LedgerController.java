package io.hostrail.api.ledger;

import io.hostrail.identity.model.Principal;
import io.hostrail.ledger.model.Balances.CustomerBalance;
import io.hostrail.ledger.model.Balances.TrialBalance;
import io.hostrail.ledger.model.ReceivablesAging;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.shared.model.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@Tag(name = "Ledger", description = "Credit, balances derived from the double-entry ledger, and the proof that it balances.")
@SecurityRequirement(name = "bearer")
public class LedgerController {

    record CreditBody(@Schema(example = "25.00", description = "More than zero, in the customer's billing currency")
            @NotBlank @Size(max = 24) String amount,
            @Schema(example = "EUR", description = "Optional; must be the customer's billing currency") @Size(max = 3)
            String currency,
            @Schema(example = "Goodwill for the outage on 2 November") @NotBlank @Size(max = 500) String reason) {
    }

    record BalanceResponse(String currency,
            @Schema(example = "5.00", description = "Credit the customer holds and later invoices use up; never below"
                    + " zero") String credit,
            @Schema(example = "0.00", description = "What the customer owes on open invoices") String due,
            @Schema(example = "0.00", description = "What the customer owes outside any invoice: a refund made at the"
                    + " provider (in its dashboard, or by the customer's bank) gave back more than the customer's"
                    + " credit covered. The next credit the customer gets settles it first.") String owed) {

        static BalanceResponse of(CustomerBalance balance) {
            return new BalanceResponse(balance.credit().currencyCode(), text(balance.available()),
                    text(balance.due()), text(balance.owed()));
        }
    }

    record CreditResponse(UUID transactionId, BalanceResponse balance) {
    }

    record AccountLine(String account, String debits, String credits) {
    }

    record CurrencyTrialBalance(String currency, List<AccountLine> accounts, String debits, String credits,
            boolean balanced) {

        static CurrencyTrialBalance of(TrialBalance trial) {
            return new CurrencyTrialBalance(trial.currency(), trial.accounts().stream()
                    .map(a -> new AccountLine(a.account().wireName(), text(a.debits()), text(a.credits()))).toList(),
                    text(trial.debits()), text(trial.credits()), trial.balanced());
        }
    }

    record TrialBalanceResponse(List<CurrencyTrialBalance> currencies, boolean balanced) {
    }

    record AgingBuckets(@Schema(description = "Not yet overdue") String current,
            @Schema(description = "1 to 30 days past due") String days1To30, String days31To60, String days61To90,
            @Schema(description = "More than 90 days past due") String over90) {

        static AgingBuckets of(java.util.Map<ReceivablesAging.Bucket, Money> b) {
            return new AgingBuckets(text(b.get(ReceivablesAging.Bucket.CURRENT)), text(b.get(ReceivablesAging.Bucket.DAYS_1_30)),
                    text(b.get(ReceivablesAging.Bucket.DAYS_31_60)), text(b.get(ReceivablesAging.Bucket.DAYS_61_90)),
                    text(b.get(ReceivablesAging.Bucket.OVER_90)));
        }
    }

    record CustomerAgingResponse(UUID customerId, AgingBuckets buckets, String total, int invoices) {
    }

    record CurrencyAgingResponse(String currency, AgingBuckets buckets, String total,
            List<CustomerAgingResponse> customers) {
    }

    record AgingResponse(LocalDate asOf, List<CurrencyAgingResponse> currencies) {

        static AgingResponse of(ReceivablesAging aging) {
            return new AgingResponse(aging.asOf(), aging.currencies().stream().map(c -> new CurrencyAgingResponse(
                    c.currency(), AgingBuckets.of(c.buckets()), text(c.total()), c.customers().stream()
                            .map(k -> new CustomerAgingResponse(k.customerId(), AgingBuckets.of(k.buckets()),
                                    text(k.total()), k.invoices()))
                            .toList())).toList());
        }
    }

    private final LedgerService ledger;
    private final Clock clock;

    public LedgerController(LedgerService ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @GetMapping("/api/v1/ledger/receivables-aging")
    @PreAuthorize("hasAuthority('report:read')")
    @Operation(summary = "What customers owe, by how long it is overdue", description = """
            The receivable the ledger holds for each invoice (what was invoiced, less credit applied, payments, credit
            notes and write-offs), as of the end of asOf (UTC; default today), in the buckets current, 1-30, 31-60, 61-90 and over
            90 days past due, per currency, in total and per customer, largest first.""")
    public Mono<AgingResponse> receivablesAging(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) @Schema(example = "2026-12-31") LocalDate asOf) {
        return ledger.receivablesAging(actor, asOf == null ? LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC)) : asOf)
                .map(AgingResponse::of);
    }

    @PostMapping("/api/v1/customers/{id}/credits")
    @PreAuthorize("hasAuthority('invoice:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Give a customer credit", description = """
            Recorded in the ledger (credit adjustments to the customer's credit), audited, and published as
            customer.credit_granted. Answers with the customer's balance after it.""")
    public Mono<CreditResponse> grantCredit(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody CreditBody body) {
        return ledger.grantCredit(actor, id, body.amount(), body.currency(), body.reason())
                .map(granted -> new CreditResponse(granted.transactionId(), BalanceResponse.of(granted.balance())));
    }

    @GetMapping("/api/v1/customers/{id}/balance")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's credit and amount due", description = """
            Derived from the ledger, in the customer's billing currency. A client user can get its own only.""")
    public Mono<BalanceResponse> balance(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return ledger.balance(actor, id).map(BalanceResponse::of);
    }

    @GetMapping("/api/v1/ledger/trial-balance")
    @PreAuthorize("hasAuthority('report:read')")
    @Operation(summary = "Every account's totals per currency, and whether debits equal credits")
    public Mono<TrialBalanceResponse> trialBalance(@AuthenticationPrincipal Principal actor) {
        return ledger.trialBalance(actor).map(CurrencyTrialBalance::of).collectList()
                .map(currencies -> new TrialBalanceResponse(currencies,
                        currencies.stream().allMatch(CurrencyTrialBalance::balanced)));
    }

    private static String text(Money money) {
        return money.toMajorUnits().toPlainString();
    }
}
