package io.hostrail.api.subscription;

import io.hostrail.api.subscription.SubscriptionController.OptionBody;
import io.hostrail.api.subscription.SubscriptionController.SubscriptionResponse;
import io.hostrail.identity.model.Principal;
import io.hostrail.subscription.service.SubscriptionService;
import io.hostrail.subscription.service.SubscriptionService.CartDraft;
import io.hostrail.subscription.service.SubscriptionService.CartItem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/orders")
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class OrderController {

    record ItemBody(@Schema(description = "The product ordered") UUID productId,
            @Schema(example = "monthly", allowableValues = {"monthly", "quarterly", "semi_annual", "annual", "biennial",
                    "triennial"}) @Size(max = 20) String cycle,
            @Schema(example = "1", description = "Defaults to 1") Integer quantity,
            @Valid @Size(max = 50) List<OptionBody> options,
            @Schema(description = "For an add-on: the customer's live subscription whose product offers it")
            UUID parentSubscriptionId) {

        CartItem item() {
            return new CartItem(productId, cycle, quantity, options == null ? null
                    : options.stream().map(option -> option == null ? null : option.draft()).toList(),
                    parentSubscriptionId);
        }
    }

    record CartBody(
            @Schema(description = "The customer who orders; a client user may leave it out (their own)")
            UUID customerId,
            @Valid @Size(max = 20) List<ItemBody> items,
            @Schema(example = "WELCOME10", description = "Taken off every item it applies to") @Size(max = 64)
            String couponCode) {
    }

    record PlacedResponse(List<SubscriptionResponse> subscriptions, UUID invoiceId, String invoiceNumber,
            @Schema(description = "open, or paid when the customer's credit covered it") String invoiceStatus,
            String currency, @Schema(example = "23.80") String amountDue) {
    }

    private final SubscriptionService subscriptions;

    public OrderController(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('subscription:write') or principal.kind().name() == 'CLIENT'")
    @Operation(summary = "Order a cart of products", description = """
            A client user orders for their own customer; staff (subscription:write) for any customer. All or nothing:
            each item becomes a pending subscription, and one invoice, finalized at once, bills every item's first
            period from now and its setup fees, with the coupon taken off the items it applies to (400 when it applies
            to none). Paying the invoice (checkout, a manual payment, or the customer's credit at once) starts every
            subscription, each with subscription.activated, which provisioning listens to. Refused with nothing
            ordered: an unknown or retired product, a product without a price for the cycle in the customer's
            currency, a sold-out product, an add-on without a live parent that offers it, another customer's ids.""")
    public Mono<ResponseEntity<PlacedResponse>> place(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody CartBody body) {
        CartDraft draft = new CartDraft(body.customerId(), body.items() == null ? null
                : body.items().stream().map(item -> item == null ? null : item.item()).toList(), body.couponCode());
        return subscriptions.placeOrder(actor, draft).map(placed -> ResponseEntity
                .created(URI.create("/api/v1/invoices/" + placed.invoice().id()))
                .body(new PlacedResponse(placed.subscriptions().stream().map(SubscriptionResponse::of).toList(),
                        placed.invoice().id(), placed.invoice().number(), placed.invoice().status().wireName(),
                        placed.invoice().currency().getCurrencyCode(),
                        placed.invoice().amountDue().toMajorUnits().toPlainString())));
    }
}
