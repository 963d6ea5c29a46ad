package org.tensorbridge.op;

import java.util.Objects;
import org.tensorbridge.DType;

/**
 * A typed key of an operation's {@link Attributes}: the axes of a reduction, the permutation of a
 * transpose, the target dtype of a cast. The built-in keys are constants here; a third party that
 * defines its own operation may define its own keys with {@link #define}. Keys compare by identity.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the attribute's value; arrays are copied in and out of {@link Attributes}
 */
public final class Attribute<T> {
    /** Axes of a reduction; negative values count from the end, none means every axis. */
    public static final Attribute<int[]> AXES = define("axes", int[].class);
    /** Whether a reduction keeps reduced axes as size 1. */
    public static final Attribute<Boolean> KEEP_DIMS = define("keepDims", Boolean.class);
    /** The order of axes of a transpose; none means the axes reversed. */
    public static final Attribute<int[]> PERMUTATION = define("permutation", int[].class);
    /** Target dimensions of a reshape; one may be {@code -1}, inferred from the others. */
    public static final Attribute<long[]> DIMS = define("dims", long[].class);
    /** Target element type of a cast. */
    public static final Attribute<DType> DTYPE = define("dtype", DType.class);
    /** The largest dense element count a densification accepts. */
    public static final Attribute<Long> MAX_ELEMENTS = define("maxElements", Long.class);
    /** One axis, for the sparse sum. */
    public static final Attribute<Integer> AXIS = define("axis", Integer.class);

    private final String name;
    private final Class<T> type;

    private Attribute(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /** A new key; two calls with the same name give two different keys. */
    public static <T> Attribute<T> define(String name, Class<T> type) {
        return new Attribute<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }

    /** The name used in messages, for example {@code axes}. */
    public String name() {
        return name;
    }

    /** The value's type. */
    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return name;
    }
}
