package org.tensorbridge;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorbridge.op.Operation;

/**
 * What a backend can do: share host memory, wrap host buffers, hold dtypes and run operations. The
 * conformance kit checks every declaration against behaviour: a backend that says it shares must alias,
 * one that says it cannot must copy, and an operation it lists must run. Backends built on the spi
 * derive these from what they supply (a sharing hook, kernels), so they cannot disagree with it.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}.
 */
public final class BackendCapabilities {
    private final boolean sharesHostMemory;
    private final boolean sharesWritable;
    private final boolean wrapsHostBuffers;
    private final Set<DType> supportedDTypes;
    private final Map<Operation, Set<DType>> operations;
    private final long maxTensorBytes;

    private BackendCapabilities(Builder b) {
        this.sharesHostMemory = b.sharesHostMemory;
        this.sharesWritable = b.sharesWritable;
        this.wrapsHostBuffers = b.wrapsHostBuffers;
        this.supportedDTypes = Collections.unmodifiableSet(EnumSet.copyOf(b.supportedDTypes));
        Map<Operation, Set<DType>> ops = new LinkedHashMap<>();
        b.operations.forEach((op, dtypes) -> ops.put(op, Collections.unmodifiableSet(EnumSet.copyOf(dtypes))));
        this.operations = Collections.unmodifiableMap(ops);
        this.maxTensorBytes = b.maxTensorBytes;
    }

    /** A builder with every capability off and no dtypes. */
    public static Builder builder() {
        return new Builder();
    }

    /** True if {@code toHost} can return views that alias tensor memory ({@code NEVER} succeeds). */
    public boolean sharesHostMemory() {
        return sharesHostMemory;
    }

    /** True if shared views can also be {@link Access#WRITABLE}. Implies {@link #sharesHostMemory()}. */
    public boolean sharesWritable() {
        return sharesWritable;
    }

    /** True if {@code Backend.fromBuffer} can wrap a caller's direct buffer without a copy. */
    public boolean wrapsHostBuffers() {
        return wrapsHostBuffers;
    }

    /** The dtypes tensors of this backend can hold; arithmetic needs a numeric one. */
    public Set<DType> supportedDTypes() {
        return supportedDTypes;
    }

    /** True if {@code dtype} is in {@link #supportedDTypes()}. */
    public boolean supports(DType dtype) {
        return supportedDTypes.contains(dtype);
    }

    /**
     * The largest tensor the backend holds, in bytes; a larger shape is refused with
     * {@link CapacityException} before anything is allocated.
     */
    public long maxTensorBytes() {
        return maxTensorBytes;
    }

    /** The operations the backend has kernels for, on at least one dtype. */
    public Set<Operation> operations() {
        return operations.keySet();
    }

    /** True if the backend runs {@code operation} on at least one dtype. */
    public boolean supports(Operation operation) {
        return operations.containsKey(operation);
    }

    /**
     * True if the backend runs {@code operation} with inputs of {@code dtype} (the values' dtype for
     * sparse inputs; the source dtype for a cast).
     */
    public boolean supports(Operation operation, DType dtype) {
        Set<DType> dtypes = operations.get(operation);
        return dtypes != null && dtypes.contains(dtype);
    }

    /** The input dtypes {@code operation} runs on; empty if the backend lacks it. */
    public Set<DType> dtypesOf(Operation operation) {
        return operations.getOrDefault(operation, Set.of());
    }

    @Override
    public String toString() {
        return "sharesHostMemory=" + sharesHostMemory + ", sharesWritable=" + sharesWritable + ", wrapsHostBuffers="
                + wrapsHostBuffers + ", maxTensorBytes=" + maxTensorBytes + ", dtypes=" + supportedDTypes + ", operations="
                + operations.keySet();
    }

    /** Builds {@link BackendCapabilities}. Not thread-safe. */
    public static final class Builder {
        private boolean sharesHostMemory;
        private boolean sharesWritable;
        private boolean wrapsHostBuffers;
        private final Set<DType> supportedDTypes = EnumSet.noneOf(DType.class);
        private final Map<Operation, Set<DType>> operations = new LinkedHashMap<>();
        private long maxTensorBytes = Long.MAX_VALUE;

        private Builder() {
        }

        /** Declares the largest tensor, in bytes ({@link Long#MAX_VALUE} unless set). */
        public Builder maxTensorBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes is " + bytes + "; declare 0 or more");
            }
            this.maxTensorBytes = bytes;
            return this;
        }

        /** Declares that {@code operation} runs on inputs of {@code dtypes} (added to earlier ones). */
        public Builder operation(Operation operation, Set<DType> dtypes) {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(dtypes, "dtypes");
            if (!dtypes.isEmpty()) {
                operations.computeIfAbsent(operation, op -> EnumSet.noneOf(DType.class)).addAll(dtypes);
            }
            return this;
        }

        /** Declares that host views alias tensor memory. */
        public Builder sharesHostMemory(boolean value) {
            this.sharesHostMemory = value;
            return this;
        }

        /** Declares that shared host views can be writable. */
        public Builder sharesWritable(boolean value) {
            this.sharesWritable = value;
            return this;
        }

        /** Declares that caller buffers can be wrapped without a copy. */
        public Builder wrapsHostBuffers(boolean value) {
            this.wrapsHostBuffers = value;
            return this;
        }

        /** Adds supported dtypes. */
        public Builder supportedDTypes(Set<DType> dtypes) {
            supportedDTypes.addAll(Objects.requireNonNull(dtypes, "dtypes"));
            return this;
        }

        /**
         * The capabilities.
         *
         * @throws IllegalStateException if writable sharing is declared without sharing, or no dtype is
         */
        public BackendCapabilities build() {
            if (sharesWritable && !sharesHostMemory) {
                throw new IllegalStateException("sharesWritable(true) needs sharesHostMemory(true): a backend that cannot "
                        + "share at all cannot share writable");
            }
            if (supportedDTypes.isEmpty()) {
                throw new IllegalStateException("supportedDTypes is empty; declare at least one DType");
            }
            return new BackendCapabilities(this);
        }
    }
}
