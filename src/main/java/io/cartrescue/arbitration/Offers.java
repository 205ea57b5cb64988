package io.cartrescue.arbitration;

import io.cartrescue.policy.ArbitrationPolicy;
import io.cartrescue.schema.Candidate;
import io.cartrescue.schema.ChatOffer;
import io.cartrescue.schema.DiscountOffer;
import io.cartrescue.schema.FreeShippingNotice;
import io.cartrescue.schema.GuestCheckoutHint;
import io.cartrescue.schema.InfoNotice;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyReminder;
import io.cartrescue.schema.PaymentHelp;
import io.cartrescue.schema.RecoveryReminder;
import io.cartrescue.schema.SignalValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Collectors;

/** Builds the typed offer of an intervention from the policy's content and the candidate. */
final class Offers {
    private final ArbitrationPolicy policy;

    Offers(final ArbitrationPolicy policy) {
        this.policy = policy;
    }

    Object build(final InterventionType type, final String interventionId, final Candidate candidate, final Shopper shopper) {
        return switch (type) {
            case CHAT_OFFER -> chat(candidate, shopper);
            case DISCOUNT -> new DiscountOffer(policy.discount().percentFor(shopper.tier()), null, shopper.currency(),
                    Ids.codeRef(interventionId), shopper.tier());
            case FREE_SHIPPING_NOTICE -> freeShipping(shopper);
            case PAYMENT_HELP -> new PaymentHelp(policy.content().paymentAlternatives(), candidate.getLastPaymentErrorCode());
            case GUEST_CHECKOUT_HINT -> new GuestCheckoutHint(valueOf(candidate, "lastCheckoutErrorKind"));
            case DELIVERY_INFO -> new InfoNotice("DELIVERY", policy.content().deliveryInfoUrl());
            case RETURNS_INFO -> new InfoNotice("RETURNS", policy.content().returnsInfoUrl());
            case LOYALTY_REMINDER -> new LoyaltyReminder(shopper.tier(),
                    policy.content().loyaltyBenefits().getOrDefault(shopper.tier(), ""));
            case RECOVERY_REMINDER -> new RecoveryReminder(shopper.marketingMedium(), shopper.cart());
            default -> throw new IllegalArgumentException("no offer for intervention type " + type);
        };
    }

    private ChatOffer chat(final Candidate candidate, final Shopper shopper) {
        final String values = candidate.getValues().stream().map(v -> v.getName() + "=" + v.getValue())
                .collect(Collectors.joining(", "));
        final String cart = shopper.cart() == null ? "no cart"
                : "cart " + shopper.cart().getValue().toPlainString() + " " + shopper.cart().getCurrency()
                + " (" + shopper.cart().getItemCount() + " items)";
        final String summary = candidate.getSignal() + " at checkout step " + candidate.getCheckoutStep() + ", " + cart
                + (values.isEmpty() ? "" : "; " + values);
        final String error = candidate.getLastPaymentErrorCode();
        return new ChatOffer(ChatQueues.queueFor(shopper.locale(), policy.chat()), summary, shopper.cart(),
                candidate.getCheckoutStep(), error);
    }

    private FreeShippingNotice freeShipping(final Shopper shopper) {
        final BigDecimal threshold = policy.freeShipping().threshold().setScale(2, RoundingMode.HALF_UP);
        final BigDecimal cart = shopper.cartValue() == null ? BigDecimal.ZERO : shopper.cartValue();
        final BigDecimal remaining = threshold.subtract(cart).max(BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP);
        return new FreeShippingNotice(remaining.signum() == 0, threshold, remaining, shopper.currency());
    }

    private static String valueOf(final Candidate candidate, final String name) {
        return candidate.getValues().stream().filter(v -> v.getName().equals(name)).map(SignalValue::getValue)
                .findFirst().orElse(null);
    }
}
