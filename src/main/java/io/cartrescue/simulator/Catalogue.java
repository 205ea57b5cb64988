package io.cartrescue.simulator;

import io.cartrescue.schema.Product;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The products simulated shoppers look at and buy.
 *
 * <p>Scenarios need products with realistic prices (a cheap cart pays for delivery, a bulky one
 * pays freight), categories to browse and names an agent can read; a fixed built-in list keeps
 * every run of the simulator reproducible from its seed alone.
 */
public final class Catalogue {

    /** Currency of every price in the catalogue. */
    public static final String CURRENCY = "EUR";

    private static final Catalogue BUILT_IN = new Catalogue(List.of(
            item("P1001", "Aria Wireless Headphones", "electronics.headphones", "Lumo", "129.00"),
            item("P1002", "Pulse In-Ear Buds", "electronics.headphones", "Lumo", "59.90"),
            item("P1003", "Studio Monitor Headphones", "electronics.headphones", "Voltra", "189.00"),
            item("P1004", "Braided USB-C Cable 2 m", "electronics.accessories", "Voltra", "12.99"),
            item("P1005", "65 W GaN Charger", "electronics.accessories", "Voltra", "39.90"),
            item("P1006", "Phone Case Clear", "electronics.accessories", "Kestrel", "14.95"),
            item("P1007", "Smart Plug Twin Pack", "electronics.smart_home", "Lumo", "29.99"),
            item("P1008", "Indoor Security Camera", "electronics.smart_home", "Kestrel", "79.00"),
            item("P1009", "Trail Running Shoe", "sports.running", "Trailhead", "119.95"),
            item("P1010", "Road Running Shoe", "sports.running", "Trailhead", "99.95"),
            item("P1011", "Running Socks 3-Pack", "sports.running", "Trailhead", "17.50"),
            item("P1012", "Hydration Vest 5 l", "sports.running", "Kestrel", "74.90"),
            item("P1013", "Cork Yoga Mat", "sports.yoga", "Alba", "49.00"),
            item("P1014", "Yoga Block Set", "sports.yoga", "Alba", "19.90"),
            item("P1015", "Merino Base Layer", "fashion.tops", "Nordlicht", "69.00"),
            item("P1016", "Organic Cotton T-Shirt", "fashion.tops", "Maison Clair", "24.90"),
            item("P1017", "Linen Shirt", "fashion.tops", "Maison Clair", "54.00"),
            item("P1018", "Down Jacket", "fashion.jackets", "Nordlicht", "249.00"),
            item("P1019", "Rain Shell Jacket", "fashion.jackets", "Nordlicht", "159.00"),
            item("P1020", "Leather Sneaker", "fashion.shoes", "Maison Clair", "139.00"),
            item("P1021", "Canvas Tote Bag", "fashion.accessories", "Maison Clair", "19.00"),
            item("P1022", "Wool Beanie", "fashion.accessories", "Nordlicht", "29.00"),
            item("P1023", "Chef's Knife 20 cm", "home.kitchen", "Ferro", "89.00"),
            item("P1024", "Cast Iron Pan 28 cm", "home.kitchen", "Ferro", "64.50"),
            item("P1025", "Pour-Over Coffee Set", "home.kitchen", "Alba", "44.90"),
            item("P1026", "Espresso Cups Set of 4", "home.kitchen", "Alba", "22.00"),
            item("P1027", "Linen Cushion Cover", "home.decor", "Maison Clair", "18.90"),
            item("P1028", "Ceramic Vase", "home.decor", "Alba", "34.00"),
            item("P1029", "Scented Candle Cedar", "home.decor", "Alba", "16.50"),
            bulky("P1030", "Oak Side Table", "home.furniture", "Ferro", "189.00"),
            bulky("P1031", "Lounge Armchair", "home.furniture", "Nordlicht", "449.00"),
            bulky("P1032", "Bookshelf 5 Shelves", "home.furniture", "Ferro", "229.00"),
            item("P1033", "Vitamin C Serum", "beauty.skincare", "Lumen Skin", "27.90"),
            item("P1034", "Daily Moisturiser SPF 30", "beauty.skincare", "Lumen Skin", "21.50"),
            item("P1035", "Clay Face Mask", "beauty.skincare", "Lumen Skin", "15.90"),
            item("P1036", "Hardcover Notebook A5", "stationery.paper", "Papeterie Fine", "14.00"),
            item("P1037", "Fountain Pen Steel", "stationery.pens", "Papeterie Fine", "45.00"),
            item("P1038", "Wooden Train Set", "toys.wooden", "Kleinholz", "54.90"),
            item("P1039", "Puzzle 1000 Pieces", "toys.puzzles", "Kleinholz", "19.99"),
            item("P1040", "Plush Fox", "toys.plush", "Kleinholz", "24.50")));

    private final List<Item> items;
    private final Map<String, Item> byId;
    private final Map<String, List<Item>> byCategory;
    private final List<String> categories;
    private final List<Item> bulkyItems;
    private final List<Item> cheapItems;
    private final Map<String, String> paths;

    private Catalogue(final List<Item> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a catalogue needs at least one product");
        }
        this.items = List.copyOf(items);
        final Map<String, Item> ids = new LinkedHashMap<>();
        final Map<String, List<Item>> categoryItems = new LinkedHashMap<>();
        final List<Item> bulky = new ArrayList<>();
        final List<Item> cheap = new ArrayList<>();
        final Map<String, String> productPaths = new LinkedHashMap<>();
        for (final Item item : this.items) {
            productPaths.put(item.productId(), "/p/" + item.productId() + "-" + slug(item.name()));
            if (ids.put(item.productId(), item) != null) {
                throw new IllegalArgumentException("duplicate product id " + item.productId());
            }
            categoryItems.computeIfAbsent(item.category(), c -> new ArrayList<>()).add(item);
            if (item.bulky()) {
                bulky.add(item);
            } else if (item.priceCents() < Cart.FREE_SHIPPING_FROM_CENTS / 2) {
                cheap.add(item);
            }
        }
        this.byId = Map.copyOf(ids);
        final Map<String, List<Item>> frozen = new LinkedHashMap<>();
        categoryItems.forEach((category, list) -> frozen.put(category, List.copyOf(list)));
        this.byCategory = frozen;
        this.categories = List.copyOf(frozen.keySet());
        this.bulkyItems = List.copyOf(bulky);
        this.cheapItems = cheap.isEmpty() ? this.items : List.copyOf(cheap);
        this.paths = Map.copyOf(productPaths);
    }

    /** The built-in catalogue of 40 products in EUR. */
    public static Catalogue builtIn() {
        return BUILT_IN;
    }

    /** A catalogue of the given products; ids must be unique. */
    public static Catalogue of(final List<Item> items) {
        return new Catalogue(items);
    }

    /** All products, in catalogue order. */
    public List<Item> items() {
        return items;
    }

    /** Category paths, in catalogue order. */
    public List<String> categories() {
        return categories;
    }

    /** The product with this id, if the catalogue has it. */
    public Optional<Item> find(final String productId) {
        return Optional.ofNullable(byId.get(productId));
    }

    /** The products of one category; empty for an unknown category. */
    public List<Item> inCategory(final String category) {
        return byCategory.getOrDefault(category, List.of());
    }

    /** A product chosen uniformly at random. */
    public Item pick(final RandomGenerator random) {
        return items.get(random.nextInt(items.size()));
    }

    /** A product of the given category, or of the whole catalogue if the category is unknown. */
    public Item pickIn(final String category, final RandomGenerator random) {
        final List<Item> candidates = byCategory.getOrDefault(category, items);
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** A category chosen uniformly at random. */
    public String pickCategory(final RandomGenerator random) {
        return categories.get(random.nextInt(categories.size()));
    }

    /** A product that ships as freight, or any product if the catalogue has none. */
    public Item pickBulky(final RandomGenerator random) {
        final List<Item> candidates = bulkyItems.isEmpty() ? items : bulkyItems;
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** A parcel product costing less than half the free-delivery threshold. */
    public Item pickCheap(final RandomGenerator random) {
        return cheapItems.get(random.nextInt(cheapItems.size()));
    }

    /** The product page's path below the locale prefix, e.g. {@code /p/P1001-aria-wireless-headphones}. */
    public String pathOf(final Item item) {
        final String path = paths.get(item.productId());
        return path != null ? path : "/p/" + item.productId() + "-" + slug(item.name());
    }

    private static String slug(final String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static Item item(final String id, final String name, final String category, final String brand,
                             final String price) {
        return new Item(id, name, category, brand, new BigDecimal(price), false);
    }

    private static Item bulky(final String id, final String name, final String category, final String brand,
                              final String price) {
        return new Item(id, name, category, brand, new BigDecimal(price), true);
    }

    /**
     * One product of the catalogue.
     *
     * @param productId the storefront's product id
     * @param name      the name as displayed
     * @param category  the category path, e.g. {@code electronics.headphones}
     * @param brand     the brand name
     * @param price     the unit price in EUR, kept at scale 2
     * @param bulky     true when the product ships as freight rather than as a parcel
     */
    public record Item(String productId, String name, String category, String brand, BigDecimal price,
                       boolean bulky) {

        /** Validates the fields and normalises the price to two decimals. */
        public Item {
            Objects.requireNonNull(productId, "productId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(brand, "brand");
            price = Objects.requireNonNull(price, "price").setScale(2, RoundingMode.HALF_UP);
            if (price.signum() < 0) {
                throw new IllegalArgumentException("negative price for " + productId);
            }
        }

        /** The unit price in cents. */
        public long priceCents() {
            return price.unscaledValue().longValueExact();
        }

        /** The product as it appears in an event, with the given quantity. */
        public Product toProduct(final int quantity) {
            return new Product(productId, name, category, brand, price, quantity);
        }
    }
}
