package org.tensorbridge.spi;

import java.util.Objects;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/**
 * What a sparse kernel receives: COO indices ({@code int64 [nnz, rank]}), values ({@code [nnz]}),
 * the dense shape and whether the indices are canonical. The base holds references to
 * both storages for the whole call.
 *
 * <p>Immutable and thread-safe.
 */
public final class SparseOperand {
    private final Operand indices;
    private final Operand values;
    private final Shape denseShape;
    private final boolean canonical;

    /** A sparse operand over validated parts. */
    public SparseOperand(Operand indices, Operand values, Shape denseShape, boolean canonical) {
        this.indices = Objects.requireNonNull(indices, "indices");
        this.values = Objects.requireNonNull(values, "values");
        this.denseShape = Objects.requireNonNull(denseShape, "denseShape");
        this.canonical = canonical;
    }

    /** {@code int64 [nnz, rank]}. */
    public Operand indices() {
        return indices;
    }

    /** {@code [nnz]}. */
    public Operand values() {
        return values;
    }

    /** The dense shape. */
    public Shape denseShape() {
        return denseShape;
    }

    /** Number of stored elements. */
    public long nnz() {
        return values.shape().dim(0);
    }

    /** Dtype of the values. */
    public DType dtype() {
        return values.dtype();
    }

    /** True if the indices are row-major sorted without duplicates. */
    public boolean canonical() {
        return canonical;
    }
}
