package io.cartrescue.serde;

import io.cartrescue.schema.CartSnapshot;
import io.cartrescue.schema.Channel;
import io.cartrescue.schema.CheckoutStep;
import io.cartrescue.schema.Consent;
import io.cartrescue.schema.Coupon;
import io.cartrescue.schema.Device;
import io.cartrescue.schema.DeviceType;
import io.cartrescue.schema.DiscountOffer;
import io.cartrescue.schema.ErrorInfo;
import io.cartrescue.schema.ErrorKind;
import io.cartrescue.schema.EventType;
import io.cartrescue.schema.ExperimentArm;
import io.cartrescue.schema.FreeShippingNotice;
import io.cartrescue.schema.Intervention;
import io.cartrescue.schema.InterventionType;
import io.cartrescue.schema.LoyaltyTier;
import io.cartrescue.schema.Order;
import io.cartrescue.schema.Page;
import io.cartrescue.schema.PageType;
import io.cartrescue.schema.Product;
import io.cartrescue.schema.Reason;
import io.cartrescue.schema.SignalType;
import io.cartrescue.schema.SignalValue;
import io.cartrescue.schema.StorefrontEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Sample records of the real schemas, and older and newer versions of those schemas, for serde tests. */
final class TestRecords {
    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

    private TestRecords() {
    }

    /** A Product Added event with most optional parts filled in, decimals included. */
    static StorefrontEvent productAdded() {
        return StorefrontEvent.newBuilder()
                .setEventId("evt-1")
                .setEventType(EventType.PRODUCT_ADDED)
                .setEventTime(T0)
                .setSessionId("sess-1")
                .setAnonymousId("anon-1")
                .setCustomerId("cust-7")
                .setPage(Page.newBuilder().setUrl("https://shop.example/p/42").setPageType(PageType.PRODUCT).build())
                .setProduct(Product.newBuilder().setProductId("p-42").setName("Kettle").setCategory("kitchen")
                        .setBrand("Acme").setPrice(new BigDecimal("49.90")).setQuantity(2).build())
                .setCart(CartSnapshot.newBuilder().setValue(new BigDecimal("99.80")).setCurrency("EUR").setItemCount(2).build())
                .setCheckout(CheckoutStep.newBuilder().setStep(3).setStepName("shipping")
                        .setShippingCost(new BigDecimal("4.95")).setShippingMethod("standard").setPaymentMethod(null).build())
                .setError(ErrorInfo.newBuilder().setKind(ErrorKind.PAYMENT_DECLINED).setCode("05").build())
                .setCoupon(Coupon.newBuilder().setCode("SPRING").setReason("expired").build())
                .setOrder(Order.newBuilder().setOrderId("o-1").setTotal(new BigDecimal("104.75")).setCurrency("EUR").build())
                .setDevice(Device.newBuilder().setType(DeviceType.MOBILE).setLocale("de-DE").setTimeZone("Europe/Berlin").build())
                .setConsent(Consent.newBuilder().setMarketingEmail(true).setMarketingSms(false).setPersonalisation(true).build())
                .setInterventionId("int-9")
                .build();
    }

    /** A page view with only the required fields and a cart. */
    static StorefrontEvent pageViewWithCart() {
        return StorefrontEvent.newBuilder()
                .setEventId("e1")
                .setEventType(EventType.PAGE_VIEWED)
                .setEventTime(Instant.ofEpochMilli(1000))
                .setSessionId("s1")
                .setAnonymousId("a1")
                .setCart(CartSnapshot.newBuilder().setValue(new BigDecimal("12.34")).setCurrency("EUR").setItemCount(2).build())
                .build();
    }

    static Intervention discountIntervention() {
        return intervention(InterventionType.DISCOUNT, Channel.ONSITE, DiscountOffer.newBuilder()
                .setPercent(null).setAmount(new BigDecimal("5.00")).setCurrency("EUR").setCodeRef("code-ref-1")
                .setTier(LoyaltyTier.GOLD).build());
    }

    static Intervention freeShippingIntervention() {
        return intervention(InterventionType.FREE_SHIPPING_NOTICE, Channel.ONSITE, FreeShippingNotice.newBuilder()
                .setQualifies(false).setThreshold(new BigDecimal("50.00")).setRemaining(new BigDecimal("0.20"))
                .setCurrency("EUR").build());
    }

    private static Intervention intervention(final InterventionType type, final Channel channel, final Object offer) {
        return Intervention.newBuilder()
                .setInterventionId("int-" + type)
                .setType(type)
                .setChannel(channel)
                .setSessionId("sess-1")
                .setCustomerKey("cust-7")
                .setCustomerId("cust-7")
                .setCreatedAt(T0)
                .setExpiresAt(T0.plusSeconds(900))
                .setSendAt(T0)
                .setReasons(List.of(Reason.newBuilder().setSignal(SignalType.SHIPPING_COST_SHOCK).setCandidateId("cand-1")
                        .setValues(List.of(SignalValue.newBuilder().setName("shippingCost").setValue("4.95").build()))
                        .build()))
                .setOffer(offer)
                .setPolicyVersion("policy-3")
                .setExperimentArm(ExperimentArm.TREATMENT)
                .build();
    }

    /** {@code schema} without the field {@code name}: an older version, before the field was added. */
    static Schema withoutField(final Schema schema, final String name) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            if (!field.name().equals(name)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return copy(schema, fields);
    }

    /** {@code schema} with an added optional string field: a newer, compatible version. */
    static Schema withOptionalField(final Schema schema, final String name) {
        final Schema optionalString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        return withField(schema, new Schema.Field(name, optionalString, "Added in a newer version.", JsonProperties.NULL_VALUE));
    }

    /** {@code schema} with an added required string field without default: not backward compatible. */
    static Schema withRequiredField(final Schema schema, final String name) {
        return withField(schema, new Schema.Field(name, Schema.create(Schema.Type.STRING), "Required, without default."));
    }

    private static Schema withField(final Schema schema, final Schema.Field added) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(added);
        return copy(schema, fields);
    }

    private static Schema copy(final Schema schema, final List<Schema.Field> fields) {
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /**
     * {@code event} as a record of another version of its schema, the way a producer built with that
     * version would hold it: fields missing from {@code schema} are dropped, new ones take their
     * default, or null when they have none.
     */
    static ProbeRecord asVersion(final StorefrontEvent event, final Schema schema) {
        final GenericData.Record current = asGeneric(event);
        final GenericData.Record record = new GenericData.Record(schema);
        for (final Schema.Field field : schema.getFields()) {
            final Schema.Field known = StorefrontEvent.getClassSchema().getField(field.name());
            record.put(field.pos(), known != null ? current.get(known.pos())
                    : field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
        }
        return new ProbeRecord(record);
    }

    private static GenericData.Record asGeneric(final StorefrontEvent event) {
        final Schema schema = StorefrontEvent.getClassSchema();
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<StorefrontEvent>(StorefrontEvent.getClassSchema()).write(event, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericData.Record>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record of a schema version that has no generated class in this build, such as an older or
     * newer version of a real schema; the serializer accepts it like any specific record.
     */
    static final class ProbeRecord extends GenericData.Record implements SpecificRecord {
        ProbeRecord(final GenericData.Record record) {
            super(record, true);
        }
    }
}
