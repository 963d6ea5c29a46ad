package org.tensorbridge.spi;

import java.util.Objects;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.SparseValue;
import org.tensorbridge.memory.BufferHostArray;
import org.tensorbridge.memory.HostArrays;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;

/**
 * The conversion contract, enforced once for every backend built on the spi: {@code toHost} and
 * {@code toSparseValue} share through the backend's {@link HostSharing} when the policy and access
 * allow, copy through its {@link Memory} otherwise, and refuse {@code NEVER} with a message naming the
 * device and the policy that works. Reports come from {@link HostArrays}, so they are true by
 * construction. Also hands a graph run's own results over without a copy. Thread-safe.
 */
final class Conversions {
    private final AbstractBackend backend;
    private final BackendSpec spec;

    Conversions(AbstractBackend backend, BackendSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    HostArray toHost(BackendTensor tensor, CopyPolicy policy, Access access) {
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        // One pin, taken on every conversion, which a share then keeps: the cheapest path of the library.
        return hostArrayTakingOver(tensor.pin("this tensor"), policy, access);
    }

    SparseValue toSparseValue(BackendSparseTensor tensor, CopyPolicy policy, Access access) {
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        try (Pins pins = new Pins()) {
            SparseOperand operand = pins.sparse(tensor, "this sparse tensor");
            BufferHostArray indices = hostArray(operand.indices(), policy, access);
            try {
                BufferHostArray values = hostArray(operand.values(), policy, access);
                return HostArrays.sparseValue(indices, values, operand.denseShape(), operand.canonical(),
                        spec.device, spec.ledger);
            } catch (RuntimeException | Error e) {
                indices.close();
                throw e;
            }
        }
    }

    /**
     * A host array of a pinned operand: shared when possible and allowed, else copied, else refused. The
     * caller's pin stays the caller's (a share takes a reference of its own).
     */
    BufferHostArray hostArray(Operand operand, CopyPolicy policy, Access access) {
        operand.storage().retain();
        return hostArrayTakingOver(operand, policy, access);
    }

    /**
     * {@link #hostArray} taking over one reference the caller took on the operand's memory: a share keeps it
     * (two atomic updates fewer than taking its own and releasing the caller's); otherwise it is released
     * once the copy is made or refused.
     */
    private BufferHostArray hostArrayTakingOver(Operand operand, CopyPolicy policy, Access access) {
        Storage held = operand.storage();
        try {
            boolean writable = access == Access.WRITABLE;
            if (policy != CopyPolicy.ALWAYS) {
                HostStorage shared = spec.sharing != null && spec.device.hostAccessible()
                        ? spec.sharing.shareHeld(held) : null;
                if (shared != null) {
                    held = shared; // keeps the operand's memory alive if the share is refused below
                }
                String refusal = shareRefusal(shared, writable);
                if (refusal == null) {
                    BufferHostArray array = HostArrays.sharePinned(shared, operand.dtype(), operand.shape(),
                            spec.device, !writable);
                    held = null; // the array holds it now
                    return array;
                }
                if (policy == CopyPolicy.NEVER) {
                    throw new CopyRequiredException("a " + operand.dtype().displayName() + operand.shape()
                            + " tensor on " + spec.device + " cannot be shared " + (writable ? "writable " : "")
                            + "under CopyPolicy.NEVER: " + refusal);
                }
            }
            // download() overwrites every byte and keeps no buffer: the block may come from a pool.
            HostStorage copy = spec.memory.allocateHostCopy(operand.byteSize(), spec.ledger);
            return HostArrays.copyInto(copy, operand.dtype(), operand.shape(), spec.device, !writable,
                    target -> spec.memory.download(operand.storage(), target));
        } finally {
            if (held != null) {
                held.release();
            }
        }
    }

    /**
     * A writable, independent host array of a result the caller owns and gives up: its memory handed
     * over whole when nobody else holds or has seen it and it is this library's host memory, copied
     * otherwise. Closes {@code tensor}.
     */
    BufferHostArray handOver(BackendTensor tensor) {
        try (Pins pins = new Pins(); tensor) {
            Operand operand = pins.dense(tensor, "result");
            boolean whole = wholly(operand);
            tensor.close();
            return part(pins, operand, whole);
        }
    }

    /** {@link #handOver(BackendTensor)} for a sparse result: each of its two arrays handed over or copied. */
    SparseValue handOver(BackendSparseTensor tensor) {
        try (Pins pins = new Pins(); tensor) {
            SparseOperand operand = pins.sparse(tensor, "result");
            boolean indicesWhole = wholly(operand.indices());
            boolean valuesWhole = wholly(operand.values());
            tensor.close();
            BufferHostArray indices = part(pins, operand.indices(), indicesWhole);
            try {
                BufferHostArray values = part(pins, operand.values(), valuesWhole);
                return HostArrays.sparseValue(indices, values, operand.denseShape(), operand.canonical(), spec.device,
                        spec.ledger);
            } catch (RuntimeException | Error e) {
                indices.close();
                throw e;
            }
        }
    }

    /** True if a pinned operand of a result can be handed over: host memory held by its tensor and the pin only. */
    private boolean wholly(Operand operand) {
        return spec.sharing != null && operand.storage() instanceof HostStorage host && HostArrays.canHandOver(host, 2);
    }

    private BufferHostArray part(Pins pins, Operand operand, boolean whole) {
        if (whole) {
            return HostArrays.handOver((HostStorage) pins.keep(operand.storage()), operand.dtype(), operand.shape(),
                    spec.device);
        }
        return hostArray(operand, CopyPolicy.ALWAYS, Access.WRITABLE);
    }

    private String shareRefusal(HostStorage shared, boolean writable) {
        Device device = spec.device;
        if (!device.hostAccessible()) {
            return "its memory is on the device, which the host cannot address. Use CopyPolicy.IF_NEEDED or "
                    + "CopyPolicy.ALWAYS to copy it to the host";
        }
        if (shared == null) {
            return "backend " + backend.name() + " cannot share this memory with the host. Use CopyPolicy.IF_NEEDED "
                    + "or CopyPolicy.ALWAYS to copy it";
        }
        if (writable && !spec.sharing.writable()) {
            return "backend " + backend.name() + " shares read-only only. Ask for Access.READ_ONLY to share, or use "
                    + "CopyPolicy.IF_NEEDED for a writable copy";
        }
        if (writable && shared.isReadOnly()) {
            return "the tensor wraps a read-only buffer. Ask for Access.READ_ONLY to share, or use "
                    + "CopyPolicy.IF_NEEDED for a writable copy";
        }
        return null;
    }
}
