package org.tensorbridge.spi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.ValueKind;

/**
 * The kernels of a backend, by operation and input dtype (the first input's; the values' for a sparse
 * input; the source dtype for a cast). What a backend registers is what it supports: an operation it
 * has no kernel for is refused with {@code TB-OP-UNSUPPORTED}, so an operation added to tensorbridge
 * later breaks no backend. Registering the same operation and dtype twice keeps the later kernel, so a
 * backend can {@link Builder#include} a bundle and replace some of it.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class KernelRegistry {
    /** How a registered kernel produces its result. */
    enum Style {
        /** Writes every element of memory from {@link Memory#allocateForOverwrite}. */
        OVERWRITE,
        /** Writes into memory from {@link Memory#allocate}. */
        WRITE,
        /** Returns memory it allocated. */
        ADOPT,
        /** Returns sparse parts. */
        SPARSE
    }

    /** One registration: the style and the kernel object of that style. */
    record Entry(Style style, Object kernel) {
    }

    private final Map<Operation, Map<DType, Entry>> kernels;

    private KernelRegistry(Map<Operation, Map<DType, Entry>> kernels) {
        this.kernels = kernels;
    }

    /** A builder of an empty registry. */
    public static Builder builder() {
        return new Builder();
    }

    /** The kernel for {@code operation} on inputs of {@code dtype}, or null. */
    Entry find(Operation operation, DType dtype) {
        Map<DType, Entry> byDType = kernels.get(operation);
        return byDType == null ? null : byDType.get(dtype);
    }

    /** The operations registered, with the input dtypes of each. */
    public Map<Operation, Set<DType>> operations() {
        Map<Operation, Set<DType>> out = new LinkedHashMap<>();
        kernels.forEach((op, byDType) -> out.put(op, Collections.unmodifiableSet(EnumSet.copyOf(byDType.keySet()))));
        return Collections.unmodifiableMap(out);
    }

    /** Builds a {@link KernelRegistry}. Not thread-safe. */
    public static final class Builder {
        private final Map<Operation, Map<DType, Entry>> kernels = new LinkedHashMap<>();

        private Builder() {
        }

        /** A kernel that writes every element of its result; on every dtype. */
        public Builder overwrite(Operation operation, WritingKernel kernel) {
            return overwrite(operation, EnumSet.allOf(DType.class), kernel);
        }

        /** A kernel that writes every element of its result, on inputs of {@code dtypes}. */
        public Builder overwrite(Operation operation, Set<DType> dtypes, WritingKernel kernel) {
            return add(operation, dtypes, new Entry(Style.OVERWRITE, kernel), ValueKind.DENSE);
        }

        /** A kernel that writes its result into memory of unspecified contents, on inputs of {@code dtypes}. */
        public Builder write(Operation operation, Set<DType> dtypes, WritingKernel kernel) {
            return add(operation, dtypes, new Entry(Style.WRITE, kernel), ValueKind.DENSE);
        }

        /** A kernel that returns its result's memory (adopted, not copied), on inputs of {@code dtypes}. */
        public Builder adopt(Operation operation, Set<DType> dtypes, Kernel kernel) {
            return add(operation, dtypes, new Entry(Style.ADOPT, kernel), ValueKind.DENSE);
        }

        /** A kernel of an operation with a sparse result, on inputs of {@code dtypes}. */
        public Builder sparse(Operation operation, Set<DType> dtypes, SparseKernel kernel) {
            return add(operation, dtypes, new Entry(Style.SPARSE, kernel), ValueKind.SPARSE);
        }

        /** Every kernel of {@code other}; later registrations here replace them. */
        public Builder include(KernelRegistry other) {
            other.kernels.forEach((op, byDType) -> kernels.computeIfAbsent(op, k -> new EnumMap<>(DType.class))
                    .putAll(byDType));
            return this;
        }

        private Builder add(Operation operation, Set<DType> dtypes, Entry entry, ValueKind result) {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(dtypes, "dtypes");
            Objects.requireNonNull(entry.kernel(), "kernel");
            if (operation.output() != result) {
                throw new IllegalArgumentException(operation + " has a " + operation.output().name().toLowerCase()
                        + " result; register it with " + (operation.output() == ValueKind.SPARSE ? "sparse(...)"
                                : "overwrite, write or adopt"));
            }
            if (operation.isView()) {
                throw new IllegalArgumentException(operation + " is a view of its input's memory and needs no kernel");
            }
            Map<DType, Entry> byDType = kernels.computeIfAbsent(operation, k -> new EnumMap<>(DType.class));
            dtypes.forEach(dtype -> byDType.put(dtype, entry));
            return this;
        }

        /** The registry. */
        public KernelRegistry build() {
            Map<Operation, Map<DType, Entry>> copy = new LinkedHashMap<>();
            kernels.forEach((op, byDType) -> {
                if (!byDType.isEmpty()) {
                    copy.put(op, Collections.unmodifiableMap(new EnumMap<>(byDType)));
                }
            });
            return new KernelRegistry(Collections.unmodifiableMap(copy));
        }
    }
}
