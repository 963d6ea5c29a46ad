package org.tensorbridge.arrow;

import org.apache.arrow.memory.util.MemoryUtil;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.AbstractBackend;

/** Where memory is and how much of it a backend holds, for tests that prove sharing and lifetime. */
final class TestMemory {
    private TestMemory() {
    }

    /** The CPU backend, found as an application finds it. */
    static Backend cpu() {
        return Backends.get("cpu");
    }

    /** The address of a host array's first element. */
    static long address(HostArray array) {
        return MemoryUtil.getByteBufferAddress(array.asByteBuffer());
    }

    /** The address of a tensor's memory, through a view that must share it. */
    static long address(Tensor tensor) {
        try (HostArray view = tensor.toHost(CopyPolicy.NEVER)) {
            return address(view);
        }
    }

    /** Bytes the backend holds now: tensors, views and copies still open. */
    static long liveBytes(Backend backend) {
        return ((AbstractBackend) backend).ledger().liveBytes();
    }
}
