package org.tensorbridge.flight;

import java.util.Locale;

/**
 * What a published name holds, as its schema says: the value of the schema metadata key
 * {@value FlightTensorInfo#KIND_KEY} ({@code dense}, {@code sparse}, {@code table}), or, for a stream written
 * elsewhere without it, what the columns are.
 */
public enum TensorKind {
    /**
     * A dense tensor: one {@code arrow.fixed_shape_tensor} column, one row per index of the first dimension
     * (shape {@code [rows] + } the column's row shape).
     */
    DENSE,
    /** A sparse tensor in interop-arrow's COO layout ({@link org.tensorbridge.arrow.SparseBatchSchema}). */
    SPARSE,
    /** Any other record batches: a table whose columns may include tensor columns. */
    TABLE;

    /** {@code dense}, {@code sparse} or {@code table}: the value in the schema metadata. */
    public String metadataValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind whose {@link #metadataValue()} is {@code value}, or {@code null} if none is. */
    static TensorKind fromMetadata(String value) {
        for (TensorKind kind : values()) {
            if (kind.metadataValue().equals(value)) {
                return kind;
            }
        }
        return null;
    }
}
