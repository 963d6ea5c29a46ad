package org.tensorbridge.op;

import java.util.List;
import java.util.Objects;
import org.tensorbridge.DType;

/**
 * What an operation's rules see of one call: the operation, its attributes, and each input's dtype
 * and dimensions ({@code -1} where a graph does not know a size yet). Eager calls pass concrete
 * dimensions, graphs possibly unknown ones; the same rules serve both.
 *
 * <p>Immutable and thread-safe.
 */
public final class OperandTypes {
    private final Operation operation;
    private final Attributes attributes;
    private final DType[] dtypes;
    private final long[][] dims;

    /**
     * @param dtypes each input's dtype (a sparse input's value dtype)
     * @param dims each input's dimensions (a sparse input's dense dimensions); copied
     */
    public OperandTypes(Operation operation, Attributes attributes, List<DType> dtypes, List<long[]> dims) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.attributes = Objects.requireNonNull(attributes, "attributes");
        if (dtypes.size() != dims.size()) {
            throw new IllegalArgumentException(dtypes.size() + " dtypes but " + dims.size() + " dimension vectors");
        }
        // Copied with loops, not streams: every eager operation builds one of these.
        int n = dtypes.size();
        this.dtypes = new DType[n];
        this.dims = new long[n][];
        for (int i = 0; i < n; i++) {
            this.dtypes[i] = Objects.requireNonNull(dtypes.get(i), "dtype");
            this.dims[i] = dims.get(i).clone();
        }
    }

    /** The operation called. */
    public Operation operation() {
        return operation;
    }

    /** The call's attributes. */
    public Attributes attributes() {
        return attributes;
    }

    /** Number of inputs. */
    public int size() {
        return dtypes.length;
    }

    /** Input {@code i}'s dtype. */
    public DType dtype(int i) {
        return dtypes[i];
    }

    /** Input {@code i}'s dimensions, {@code -1} where unknown; a copy. */
    public long[] dims(int i) {
        return dims[i].clone();
    }

    /** Input {@code i}'s name in messages, for example {@code b}. */
    public String name(int i) {
        return operation.inputNames().get(i);
    }

    /** Input {@code i} described for messages, for example {@code b float32[2, ?]}. */
    public String describe(int i) {
        return name(i) + " " + dtype(i).displayName() + Dims.format(dims[i]);
    }

    /** The call as messages begin, for example {@code add(a, b)}. */
    public String call() {
        return operation.name() + "(" + String.join(", ", operation.inputNames()) + ")";
    }
}
