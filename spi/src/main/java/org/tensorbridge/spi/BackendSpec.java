package org.tensorbridge.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Graph;
import org.tensorbridge.memory.MemoryLedger;

/**
 * What a backend is made of: every hook a backend author can supply, in one place, each with its
 * default. {@link AbstractBackend} composes them and enforces the contract once (copy policy, access,
 * closed state, validation through each operation's definition, reference counting, reports).
 *
 * <table>
 *   <caption>The hooks</caption>
 *   <tr><th>hook</th><th>required</th><th>default when absent</th></tr>
 *   <tr><td>{@link Builder#dtypes dtypes}</td><td>yes</td><td>—</td></tr>
 *   <tr><td>{@link Builder#memory memory}: allocate, upload, download, fill, maxTensorBytes</td><td>yes</td>
 *       <td>fill: a host pattern uploaded; maxTensorBytes: 2 GiB</td></tr>
 *   <tr><td>{@link Builder#sharing sharing}: host views of tensor memory</td><td>no</td>
 *       <td>no sharing: {@code toHost} copies, {@code NEVER} is refused</td></tr>
 *   <tr><td>{@link Builder#wrapping wrapping}: tensors over caller buffers</td><td>no</td>
 *       <td>{@code fromBuffer} copies, {@code NEVER} is refused</td></tr>
 *   <tr><td>{@link Builder#kernels kernels}: one per operation (and dtype)</td><td>no</td>
 *       <td>none: every operation but views and composites is refused with {@code TB-OP-UNSUPPORTED}</td></tr>
 *   <tr><td>{@link Builder#hostFallback hostFallback}: host kernels for operations without a kernel</td>
 *       <td>no</td><td>none: no fallback; with one, its copies are counted in {@link OperationStatistics}</td></tr>
 *   <tr><td>{@link Builder#fusion fusion}: fused elementwise chains in graphs</td><td>no</td>
 *       <td>graphs run chains one operation at a time</td></tr>
 *   <tr><td>{@link Builder#valueChecks valueChecks}: guards before integer division and power</td><td>no</td>
 *       <td>{@link ValueChecks#onHost}</td></tr>
 *   <tr><td>{@link Builder#indexChecks indexChecks}: checks of new sparse tensors</td><td>no</td>
 *       <td>{@link HostIndexChecks}</td></tr>
 *   <tr><td>{@link Builder#graphs graphs}: the backend's own graph engine</td><td>no</td>
 *       <td>the generic runtime of {@code org.tensorbridge.graph}</td></tr>
 * </table>
 *
 * <p>Operations that need no kernel: a reshape is a view of the input's memory; a mean is a sum divided
 * by the count when there is no mean kernel; a sparse tensor times a scalar multiplies the values with
 * the dense multiply kernel and shares the indices.
 *
 * <p>Immutable once built.
 */
public final class BackendSpec {
    final String name;
    final Device device;
    final MemoryLedger ledger;
    final Set<DType> dtypes;
    final Memory memory;
    final HostSharing sharing;
    final HostWrapping wrapping;
    final KernelRegistry kernels;
    final KernelRegistry hostFallback;
    final Fusion fusion;
    final ValueChecks valueChecks;
    final IndexChecks indexChecks;
    final Function<Backend, Graph> graphs;

    private BackendSpec(Builder b) {
        this.name = b.name;
        this.device = b.device;
        this.ledger = b.ledger;
        if (b.dtypes.isEmpty()) {
            throw new IllegalStateException("backend " + name + " declares no dtype; call dtypes(...)");
        }
        this.dtypes = Set.copyOf(b.dtypes);
        this.memory = Objects.requireNonNull(b.memory, () -> "backend " + name + " has no memory; call memory(...)");
        this.sharing = b.sharing;
        this.wrapping = b.wrapping;
        this.kernels = b.kernels;
        this.hostFallback = b.hostFallback;
        this.fusion = b.fusion;
        this.valueChecks = b.valueChecks != null ? b.valueChecks : ValueChecks.onHost(memory);
        this.indexChecks = b.indexChecks != null ? b.indexChecks.apply(memory) : new HostIndexChecks(memory);
        this.graphs = b.graphs;
    }

    /** A builder for a backend registered as {@code name} whose tensors live on {@code device}. */
    public static Builder builder(String name, Device device) {
        return new Builder(name, device);
    }

    /** Builds a {@link BackendSpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Device device;
        private final MemoryLedger ledger;
        private final Set<DType> dtypes = EnumSet.noneOf(DType.class);
        private Memory memory;
        private HostSharing sharing;
        private HostWrapping wrapping;
        private KernelRegistry kernels = KernelRegistry.builder().build();
        private KernelRegistry hostFallback;
        private Fusion fusion;
        private ValueChecks valueChecks;
        private Function<Memory, IndexChecks> indexChecks;
        private Function<Backend, Graph> graphs;

        private Builder(String name, Device device) {
            this.name = Objects.requireNonNull(name, "name");
            this.device = Objects.requireNonNull(device, "device");
            this.ledger = new MemoryLedger("backend " + name);
        }

        /** The ledger that counts this backend's memory; memory implementations create storages with it. */
        public MemoryLedger ledger() {
            return ledger;
        }

        /** The dtypes tensors of this backend can hold (required). */
        public Builder dtypes(Set<DType> supported) {
            dtypes.addAll(Objects.requireNonNull(supported, "supported"));
            return this;
        }

        /** The memory (required), made from this backend's ledger. */
        public Builder memory(Function<MemoryLedger, Memory> factory) {
            this.memory = Objects.requireNonNull(factory, "factory").apply(ledger);
            return this;
        }

        /** Host views of tensor memory; its presence is the sharing capability. */
        public Builder sharing(HostSharing hook) {
            this.sharing = hook;
            return this;
        }

        /** Tensors over caller buffers without a copy; its presence is the wrapping capability. */
        public Builder wrapping(HostWrapping hook) {
            this.wrapping = hook;
            return this;
        }

        /** The kernels: what they cover is what the backend supports. */
        public Builder kernels(KernelRegistry registry) {
            this.kernels = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Host kernels (over {@link org.tensorbridge.memory.HostStorage}) for operations the backend has no
         * kernel for: inputs are copied to the host and the result back, and the bytes are counted per
         * operation in {@link AbstractBackend#statistics()}. Off unless set: a backend opts in.
         */
        public Builder hostFallback(KernelRegistry hostKernels) {
            this.hostFallback = hostKernels;
            return this;
        }

        /** Fused elementwise chains for graph runs. */
        public Builder fusion(Fusion hook) {
            this.fusion = hook;
            return this;
        }

        /** Guards' value checks on the backend's memory (default: read on the host). */
        public Builder valueChecks(ValueChecks hook) {
            this.valueChecks = hook;
            return this;
        }

        /** Checks of new sparse tensors, made from the memory (default: {@link HostIndexChecks}). */
        public Builder indexChecks(Function<Memory, IndexChecks> factory) {
            this.indexChecks = factory;
            return this;
        }

        /** The backend's own graphs, for an engine with a graph runtime of its own. */
        public Builder graphs(Function<Backend, Graph> factory) {
            this.graphs = factory;
            return this;
        }

        /** The spec. */
        public BackendSpec build() {
            return new BackendSpec(this);
        }
    }
}
