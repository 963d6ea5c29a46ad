package org.tensorbridge.op;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The attributes of one call of an operation: values that are not tensors, such as the axes of a
 * reduction. {@link #NONE} is the empty set.
 *
 * <p>Immutable and thread-safe: array values are copied when stored and when read, so no caller can
 * change an attribute after the call was checked. Equal attributes make equal graph nodes and kernel
 * cache keys.
 */
public final class Attributes {
    /** No attributes. */
    public static final Attributes NONE = new Attributes(Map.of());

    private final Map<Attribute<?>, Object> values;

    private Attributes(Map<Attribute<?>, Object> values) {
        this.values = values;
    }

    /** One attribute. */
    public static <T> Attributes of(Attribute<T> key, T value) {
        return NONE.with(key, value);
    }

    /** Two attributes. */
    public static <T, U> Attributes of(Attribute<T> key, T value, Attribute<U> key2, U value2) {
        return NONE.with(key, value).with(key2, value2);
    }

    /** These attributes and {@code key} set to {@code value}, replacing an earlier value. */
    public <T> Attributes with(Attribute<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "attribute " + key.name() + " must not be null");
        Map<Attribute<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, copyOf(key.type().cast(value)));
        return new Attributes(java.util.Collections.unmodifiableMap(copy));
    }

    /** True if {@code key} is set. */
    public boolean has(Attribute<?> key) {
        return values.containsKey(key);
    }

    /**
     * The value of {@code key} (a copy for arrays).
     *
     * @throws IllegalArgumentException if it is not set, naming the attribute
     */
    public <T> T get(Attribute<T> key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("attribute '" + key.name() + "' is not set; pass it with Attributes.of("
                    + "Attribute." + key.name() + ", value)");
        }
        return key.type().cast(copyOf(value));
    }

    /** The value of {@code key}, or {@code fallback} if it is not set. */
    public <T> T getOrDefault(Attribute<T> key, T fallback) {
        return has(key) ? get(key) : fallback;
    }

    private static Object copyOf(Object value) {
        if (value instanceof int[] ints) {
            return ints.clone();
        }
        if (value instanceof long[] longs) {
            return longs.clone();
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attributes other) || !other.values.keySet().equals(values.keySet())) {
            return false;
        }
        for (Map.Entry<Attribute<?>, Object> entry : values.entrySet()) {
            if (!Objects.deepEquals(entry.getValue(), other.values.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 0;
        for (Map.Entry<Attribute<?>, Object> entry : values.entrySet()) {
            hash += entry.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {entry.getValue()});
        }
        return hash;
    }

    /** For example {@code {axes=[1], keepDims=true}}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<Attribute<?>, Object> entry : values.entrySet()) {
            String value = Arrays.deepToString(new Object[] {entry.getValue()});
            text.append(text.length() > 1 ? ", " : "").append(entry.getKey().name()).append('=')
                    .append(value, 1, value.length() - 1);
        }
        return text.append('}').toString();
    }
}
