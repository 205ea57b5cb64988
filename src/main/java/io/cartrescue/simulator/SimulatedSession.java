package io.cartrescue.simulator;

import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.Coupon;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.Order;
import io.cartrescue.schema.Page;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.StorefrontEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One simulated shopper's visit, producing its events lazily and in event-time order.
 *
 * <p>The session is planned when the shopper arrives (a small array of steps) and each event
 * is built only when asked for, so a simulator can hold many thousands of sessions and interleave
 * them by {@link #nextEventTime()}. While the shopper dwells on a page for longer than
 * {@value #PING_INTERVAL_MILLIS} ms, the page sends a Page Ping every {@value #PING_INTERVAL_MILLIS}
 * ms, as storefront heartbeats do. Everything, ids included, follows from the generator the session
 * was started with. A session is not thread-safe.
 */
public final class SimulatedSession implements Iterator<StorefrontEvent> {

    /** Interval of the Page Ping heartbeat while the shopper stays on a page. */
    public static final long PING_INTERVAL_MILLIS = 15_000;

    private static final String[] STEP_NAMES = {"", "account", "address", "shipping", "payment", "review"};
    private static final long NONE = Long.MAX_VALUE;

    private final ShopperArchetype archetype;
    private final Shopper shopper;
    private final Catalogue catalogue;
    private final Step[] steps;
    private final SplittableRandom random;
    private final SplittableRandom answerRandom;
    private final String site;
    private final Cart cart = new Cart();

    private int index;
    private long stepTime;
    private long lastEventTime = Long.MIN_VALUE;
    private long nextTime;
    private boolean nextIsPing;
    private long endTime = NONE;

    private String pageUrl;
    private PageType pageType;
    private String paymentMethod;
    private long shippingCents = -1;
    private Set<String> answered;

    private SimulatedSession(final ShopperArchetype archetype, final long startMillis, final SplittableRandom random,
                             final Catalogue catalogue) {
        this.archetype = archetype;
        this.catalogue = catalogue;
        this.random = random;
        this.answerRandom = random.split();
        this.shopper = Shopper.arrive(random, archetype == ShopperArchetype.ACCOUNT_TROUBLE);
        this.site = shopper.site();
        this.steps = Scenarios.plan(archetype, new Script(random, catalogue));
        this.stepTime = startMillis;
        schedule();
    }

    /** Starts a session with the built-in catalogue; the same arguments always give the same events. */
    public static SimulatedSession start(final ShopperArchetype archetype, final Instant start, final long seed) {
        return start(archetype, start, new SplittableRandom(seed), Catalogue.builtIn());
    }

    /**
     * Starts a session whose first event happens at {@code start}. The session takes ownership of
     * {@code random}: every choice and id it makes is drawn from it.
     */
    public static SimulatedSession start(final ShopperArchetype archetype, final Instant start,
                                         final SplittableRandom random, final Catalogue catalogue) {
        return start(archetype, start.toEpochMilli(), random, catalogue);
    }

    static SimulatedSession start(final ShopperArchetype archetype, final long startMillis,
                                  final SplittableRandom random, final Catalogue catalogue) {
        return new SimulatedSession(Objects.requireNonNull(archetype, "archetype"), startMillis,
                Objects.requireNonNull(random, "random"), Objects.requireNonNull(catalogue, "catalogue"));
    }

    /** The kind of shopper this session plays. */
    public ShopperArchetype archetype() {
        return archetype;
    }

    /** The storefront session id carried by every event. */
    public String sessionId() {
        return shopper.sessionId();
    }

    /** The anonymous visitor id carried by every event. */
    public String anonymousId() {
        return shopper.anonymousId();
    }

    /** The signed-in customer's id, empty for a guest. */
    public Optional<String> customerId() {
        return Optional.ofNullable(shopper.customerId());
    }

    @Override
    public boolean hasNext() {
        return nextTime != NONE;
    }

    /** Event time in epoch milliseconds of the event {@link #next()} returns, or {@link Long#MAX_VALUE} when none is left. */
    public long nextEventTime() {
        return nextTime;
    }

    /**
     * When the shopper left, in epoch milliseconds: the time of the last event, or later if the shopper
     * dwelt silently before closing the page. {@link Long#MAX_VALUE} while the session is still going.
     */
    public long endTime() {
        return endTime;
    }

    @Override
    public StorefrontEvent next() {
        if (nextTime == NONE) {
            throw new NoSuchElementException("session " + shopper.sessionId() + " has ended");
        }
        final long time = nextTime;
        final StorefrontEvent event;
        if (nextIsPing) {
            event = event(EventType.PAGE_PING, time);
        } else {
            event = perform(steps[index], time);
            index++;
            stepTime += steps[index].thinkMillis();
        }
        lastEventTime = time;
        schedule();
        return event;
    }

    /**
     * The shopper's answer to an intervention shown during this session: Intervention Accepted when it
     * addresses the shopper's problem, Intervention Dismissed when not (always, for a
     * {@link ShopperArchetype#DISMISSER}), nothing from shoppers who do not hesitate, from a session
     * that has not started or has ended, for a marketing message, or for an intervention already answered.
     *
     * <p>The answer comes a few seconds after the intervention was created (or after the shopper's
     * latest event, if later); the rest of the session moves back if it would come before the answer,
     * so the session's events stay in time order. The answer does not change what the shopper
     * does next.
     *
     * @throws IllegalArgumentException if the intervention is for another session
     */
    public Optional<StorefrontEvent> answer(final Intervention intervention) {
        Objects.requireNonNull(intervention, "intervention");
        if (!shopper.sessionId().equals(intervention.getSessionId())) {
            throw new IllegalArgumentException("intervention " + intervention.getInterventionId() + " is for session "
                    + intervention.getSessionId() + ", not " + shopper.sessionId());
        }
        if (nextTime == NONE || lastEventTime == Long.MIN_VALUE || intervention.getChannel() == Channel.MARKETING) {
            return Optional.empty();
        }
        final Optional<EventType> reaction = archetype.reactionTo(intervention.getType());
        if (reaction.isEmpty()) {
            return Optional.empty();
        }
        if (answered == null) {
            answered = new HashSet<>(4);
        }
        if (!answered.add(intervention.getInterventionId())) {
            return Optional.empty();
        }
        final long shownAt = Math.max(lastEventTime, intervention.getCreatedAt().toEpochMilli());
        final long time = shownAt + 2_000 + answerRandom.nextLong(10_001);
        final StorefrontEvent event = event(reaction.get(), time, Shopper.uuid(answerRandom));
        event.setInterventionId(intervention.getInterventionId());
        lastEventTime = time;
        if (stepTime < time) {
            stepTime = time;
        }
        schedule();
        return Optional.of(event);
    }

    private void schedule() {
        final long pingAt = lastEventTime == Long.MIN_VALUE ? NONE : lastEventTime + PING_INTERVAL_MILLIS;
        if (index < steps.length && pingAt < stepTime) {
            nextTime = pingAt;
            nextIsPing = true;
        } else if (index >= steps.length || steps[index].act() == Step.Act.LEAVE) {
            nextTime = NONE;
            nextIsPing = false;
            endTime = Math.max(stepTime, lastEventTime);
        } else {
            nextTime = stepTime;
            nextIsPing = false;
        }
    }

    private StorefrontEvent perform(final Step step, final long time) {
        return switch (step.act()) {
            case PAGE -> pageViewed(step, time);
            case PRODUCT_VIEW -> productViewed(step.item(), time);
            case ADD -> productAdded(step, time);
            case REMOVE -> productRemoved(step, time);
            case CART_VIEW -> cartViewed(time);
            case CHECKOUT_START -> checkoutStarted(time);
            case STEP_VIEW -> stepViewed(step.number(), time);
            case STEP_DONE -> stepCompleted(step.number(), time);
            case PAYMENT_INFO -> paymentInfoEntered(step.text(), time);
            case PAYMENT_FAIL -> paymentFailed(step, time);
            case CHECKOUT_ERROR -> checkoutError(step, time);
            case COUPON_APPLIED -> coupon(EventType.COUPON_APPLIED, step, time);
            case COUPON_DENIED -> coupon(EventType.COUPON_DENIED, step, time);
            case ORDER -> orderCompleted(time);
            case EXIT_INTENT -> exitIntent(time);
            case LEAVE -> throw new IllegalStateException("leaving produces no event");
        };
    }

    private StorefrontEvent pageViewed(final Step step, final long time) {
        final PageType type = step.pageType();
        final String url = switch (type) {
            case HOME -> site + "/";
            case CATEGORY -> site + "/c/" + step.text().replace('.', '/');
            case SEARCH -> site + "/search";
            case SHIPPING_POLICY -> site + "/help/shipping";
            case RETURNS_POLICY -> site + "/help/returns";
            case FAQ -> site + "/help/faq";
            case ACCOUNT -> site + "/account";
            default -> site + "/";
        };
        goTo(url, type);
        return event(EventType.PAGE_VIEWED, time);
    }

    private StorefrontEvent productViewed(final Catalogue.Item item, final long time) {
        goTo(site + catalogue.pathOf(item), PageType.PRODUCT);
        final StorefrontEvent event = event(EventType.PRODUCT_VIEWED, time);
        event.setProduct(item.toProduct(1));
        return event;
    }

    private StorefrontEvent productAdded(final Step step, final long time) {
        cart.add(step.item(), step.number());
        if (pageType != PageType.PRODUCT) {
            goTo(site + catalogue.pathOf(step.item()), PageType.PRODUCT);
        }
        return withCart(EventType.PRODUCT_ADDED, time, step.item().toProduct(step.number()));
    }

    private StorefrontEvent productRemoved(final Step step, final long time) {
        final int removed = cart.remove(step.item(), step.number());
        goTo(site + "/cart", PageType.CART);
        return withCart(EventType.PRODUCT_REMOVED, time, step.item().toProduct(removed));
    }

    private StorefrontEvent cartViewed(final long time) {
        goTo(site + "/cart", PageType.CART);
        return withCart(EventType.CART_VIEWED, time, null);
    }

    private StorefrontEvent checkoutStarted(final long time) {
        goTo(checkoutUrl(1), PageType.CHECKOUT);
        final StorefrontEvent event = withCart(EventType.CHECKOUT_STARTED, time, null);
        event.setCheckout(new CheckoutStep(1, STEP_NAMES[1], null, null, null));
        return event;
    }

    private StorefrontEvent stepViewed(final int step, final long time) {
        goTo(checkoutUrl(step), PageType.CHECKOUT);
        final StorefrontEvent event = event(EventType.CHECKOUT_STEP_VIEWED, time);
        if (step == 3) {
            shippingCents = cart.shippingCents();
            event.setCheckout(new CheckoutStep(step, STEP_NAMES[step], Cart.money(shippingCents),
                    cart.shippingMethod(), null));
        } else {
            event.setCheckout(new CheckoutStep(step, STEP_NAMES[step], null, null, step > 4 ? paymentMethod : null));
        }
        return event;
    }

    private StorefrontEvent stepCompleted(final int step, final long time) {
        final StorefrontEvent event = event(EventType.CHECKOUT_STEP_COMPLETED, time);
        event.setCheckout(new CheckoutStep(step, STEP_NAMES[step], null,
                step == 3 ? cart.shippingMethod() : null, step >= 4 ? paymentMethod : null));
        return event;
    }

    private StorefrontEvent paymentInfoEntered(final String method, final long time) {
        paymentMethod = method;
        final StorefrontEvent event = event(EventType.PAYMENT_INFO_ENTERED, time);
        event.setCheckout(new CheckoutStep(4, STEP_NAMES[4], null, null, method));
        return event;
    }

    private StorefrontEvent paymentFailed(final Step step, final long time) {
        final StorefrontEvent event = event(EventType.PAYMENT_FAILED, time);
        event.setCheckout(new CheckoutStep(4, STEP_NAMES[4], null, null, paymentMethod));
        event.setError(new ErrorInfo(step.errorKind(), step.text()));
        return event;
    }

    private StorefrontEvent checkoutError(final Step step, final long time) {
        final StorefrontEvent event = event(EventType.CHECKOUT_ERROR, time);
        event.setCheckout(new CheckoutStep(step.number(), STEP_NAMES[step.number()], null, null, null));
        event.setError(new ErrorInfo(step.errorKind(), step.text()));
        return event;
    }

    private StorefrontEvent coupon(final EventType type, final Step step, final long time) {
        goTo(site + "/cart", PageType.CART);
        final StorefrontEvent event = withCart(type, time, null);
        event.setCoupon(new Coupon(step.text(), step.detail()));
        return event;
    }

    private StorefrontEvent orderCompleted(final long time) {
        if (shippingCents < 0) {
            shippingCents = cart.shippingCents();
        }
        final BigDecimal total = Cart.money(cart.valueCents() + shippingCents);
        goTo(site + "/checkout/confirmation", PageType.ORDER_CONFIRMATION);
        final StorefrontEvent event = withCart(EventType.ORDER_COMPLETED, time, null);
        event.setOrder(new Order("O-" + Long.toString(random.nextLong() >>> 1, 36).toUpperCase(Locale.ROOT),
                total, Catalogue.CURRENCY));
        cart.clear();
        shippingCents = -1;
        return event;
    }

    private StorefrontEvent exitIntent(final long time) {
        return cart.isEmpty() ? event(EventType.EXIT_INTENT, time) : withCart(EventType.EXIT_INTENT, time, null);
    }

    private void goTo(final String url, final PageType type) {
        pageUrl = url;
        pageType = type;
    }

    private String checkoutUrl(final int step) {
        return site + "/checkout/" + STEP_NAMES[step];
    }

    private StorefrontEvent withCart(final EventType type, final long time, final Product product) {
        final StorefrontEvent event = event(type, time);
        event.setProduct(product);
        event.setCart(cart.snapshot());
        return event;
    }

    private StorefrontEvent event(final EventType type, final long time) {
        return event(type, time, Shopper.uuid(random));
    }

    private StorefrontEvent event(final EventType type, final long time, final String eventId) {
        return new StorefrontEvent(eventId, type, Instant.ofEpochMilli(time), shopper.sessionId(),
                shopper.anonymousId(), shopper.customerId(),
                pageUrl == null ? null : new Page(pageUrl, pageType),
                null, null, null, null, null, null, shopper.device(), shopper.consent(), null);
    }
}
