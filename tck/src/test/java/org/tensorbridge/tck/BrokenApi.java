package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.reference.ReferenceBackend;

/**
 * Backends whose one defect is in what the api reports or how it behaves, for backends not built on the
 * spi (which makes these impossible): a correct backend wrapped by {@link Forwarding} with one twist.
 * Each is caught by the rule named in {@link CatchMatrixTest}.
 */
final class BrokenApi {
    private BrokenApi() {
    }

    /** Copies report 0 bytes copied. */
    static Backend copiesReportNoBytes() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray host = real.toHost(policy, access);
                return policy == CopyPolicy.ALWAYS ? Forwarding.hostArray(host, Map.of("bytesCopied", args -> 0L)) : host;
            }
        });
    }

    /** An impossible NEVER throws IllegalStateException instead of CopyRequiredException. */
    static Backend neverRefusedWithTheWrongException() {
        Backend withoutSharing = BrokenBackends.broken("never-wrong-exception", spec -> spec.sharing(null));
        return Forwarding.backend(withoutSharing, new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                try {
                    return real.toHost(policy, access);
                } catch (CopyRequiredException e) {
                    throw new IllegalStateException("cannot share", e);
                }
            }
        });
    }

    /** Read-only arrays hand out a writable buffer (a writable copy of the elements). */
    static Backend writableBufferOfAReadOnlyArray() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray host = real.toHost(policy, access);
                if (!host.isReadOnly()) {
                    return host;
                }
                return Forwarding.hostArray(host, Map.of("asByteBuffer", args -> {
                    ByteBuffer source = host.asByteBuffer();
                    ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(source.order());
                    return copy.put(source).flip();
                }));
            }
        });
    }

    /** Closing a tensor also closes the host arrays taken from it: shares do not outlive their tensor. */
    static Backend closingATensorClosesItsArrays() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            private final Map<Tensor, List<HostArray>> arrays = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray host = real.toHost(policy, access);
                arrays.computeIfAbsent(real, t -> new ArrayList<>()).add(host);
                return host;
            }

            @Override
            public void close(Tensor real) {
                List<HostArray> taken = arrays.remove(real);
                if (taken != null) {
                    taken.forEach(HostArray::close);
                }
                real.close();
            }
        });
    }

    /** A second close() throws. */
    static Backend secondCloseThrows() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public void close(Tensor real) {
                if (real.isClosed()) {
                    throw new IllegalStateException("already closed");
                }
                real.close();
            }
        });
    }

    /** Declares fewer dtypes than it accepts: int8 is left out of the declaration but still works. */
    static Backend underDeclaredDTypes() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public BackendCapabilities capabilities(BackendCapabilities real) {
                EnumSet<DType> fewer = EnumSet.copyOf(real.supportedDTypes());
                fewer.remove(DType.INT8);
                BackendCapabilities.Builder declared = BackendCapabilities.builder()
                        .sharesHostMemory(real.sharesHostMemory()).sharesWritable(real.sharesWritable())
                        .wrapsHostBuffers(real.wrapsHostBuffers()).maxTensorBytes(real.maxTensorBytes())
                        .supportedDTypes(fewer);
                real.operations().forEach(op -> {
                    EnumSet<DType> dtypes = EnumSet.noneOf(DType.class);
                    dtypes.addAll(real.dtypesOf(op));
                    dtypes.remove(DType.INT8);
                    declared.operation(op, dtypes);
                });
                return declared.build();
            }
        });
    }
}
