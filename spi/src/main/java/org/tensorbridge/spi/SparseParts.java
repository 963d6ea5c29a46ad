package org.tensorbridge.spi;

import java.util.Objects;
import org.tensorbridge.memory.Storage;

/**
 * What a sparse kernel returns: new storages (one reference each, handed to the caller) for
 * {@code int64 [nnz, rank]} indices and {@code [nnz]} values, the count, and whether the result is
 * canonical.
 *
 * <p>Immutable and thread-safe.
 */
public final class SparseParts {
    private final Storage indices;
    private final Storage values;
    private final long nnz;
    private final boolean canonical;

    /** The parts of a kernel's sparse result. */
    public SparseParts(Storage indices, Storage values, long nnz, boolean canonical) {
        this.indices = Objects.requireNonNull(indices, "indices");
        this.values = Objects.requireNonNull(values, "values");
        if (nnz < 0) {
            throw new IllegalArgumentException("nnz is " + nnz + "; it must be 0 or more");
        }
        this.nnz = nnz;
        this.canonical = canonical;
    }

    /** Index memory. */
    public Storage indices() {
        return indices;
    }

    /** Value memory. */
    public Storage values() {
        return values;
    }

    /** Number of stored elements. */
    public long nnz() {
        return nnz;
    }

    /** True if the indices are row-major sorted without duplicates. */
    public boolean canonical() {
        return canonical;
    }
}
