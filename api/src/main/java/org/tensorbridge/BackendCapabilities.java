package org.tensorbridge;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a backend declares it can do. The conformance kit checks every declaration against
 * behaviour: a backend that says it shares must alias, one that says it cannot must copy.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}.
 */
public final class BackendCapabilities {
    private final boolean sharesHostMemory;
    private final boolean sharesWritable;
    private final boolean wrapsHostBuffers;
    private final Set<DType> supportedDTypes;

    private BackendCapabilities(Builder b) {
        this.sharesHostMemory = b.sharesHostMemory;
        this.sharesWritable = b.sharesWritable;
        this.wrapsHostBuffers = b.wrapsHostBuffers;
        this.supportedDTypes = Collections.unmodifiableSet(EnumSet.copyOf(b.supportedDTypes));
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

    @Override
    public String toString() {
        return "sharesHostMemory=" + sharesHostMemory + ", sharesWritable=" + sharesWritable + ", wrapsHostBuffers="
                + wrapsHostBuffers + ", dtypes=" + supportedDTypes;
    }

    /** Builds {@link BackendCapabilities}. Not thread-safe. */
    public static final class Builder {
        private boolean sharesHostMemory;
        private boolean sharesWritable;
        private boolean wrapsHostBuffers;
        private final Set<DType> supportedDTypes = EnumSet.noneOf(DType.class);

        private Builder() {
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
