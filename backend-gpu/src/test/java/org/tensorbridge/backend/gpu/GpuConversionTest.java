package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * The copy half of the contract on device memory: every host array is an independent copy with its
 * bytes counted, {@code NEVER} fails naming the device and the policy that works, and host buffers of
 * every kind (heap, read-only, offset, big-endian) reach the device intact. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuConversionTest {
    private GpuBackend backend;

    @BeforeAll
    void open() {
        backend = OpenCl.backendOrNull();
    }

    @BeforeEach
    void requireOpenCl() {
        OpenCl.assumeAvailable();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            assertEquals(0, backend.ledger().liveBlocks(), backend.ledger().toString());
            backend.close();
        }
    }

    @Test
    void theDeviceSaysWhichHardwarePlatformAndDriver() {
        Device device = backend.device();
        DeviceInfo info = OpenCl.deviceOrSkip();
        assertEquals(info.name(), device.name());
        assertTrue(device.platform().startsWith(info.platformName()), device.platform());
        assertEquals(info.driverVersion(), device.driver());
        assertFalse(device.hostAccessible());
        assertEquals(info.isGpu() ? Device.Kind.GPU : Device.Kind.ACCELERATOR, device.kind());
        assertFalse(backend.capabilities().sharesHostMemory() || backend.capabilities().sharesWritable()
                || backend.capabilities().wrapsHostBuffers());
    }

    @Test
    void neverFailsNamingTheDeviceAndThePolicyThatWorks() {
        try (Tensor t = backend.constant(new float[] {1, 2, 3}, 3)) {
            for (Access access : Access.values()) {
                CopyRequiredException e = assertThrows(CopyRequiredException.class,
                        () -> t.toHost(CopyPolicy.NEVER, access).close());
                assertTrue(e.getMessage().contains(backend.device().toString()), e.getMessage());
                assertTrue(e.getMessage().contains("IF_NEEDED") && e.getMessage().contains("ALWAYS"), e.getMessage());
            }
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        CopyRequiredException e = assertThrows(CopyRequiredException.class,
                () -> backend.fromBuffer(direct, DType.FLOAT32, Shape.of(2), CopyPolicy.NEVER).close());
        assertTrue(e.getMessage().contains(backend.device().toString()) && e.getMessage().contains("IF_NEEDED"),
                e.getMessage());
    }

    @Test
    void everyHostArrayIsAnIndependentCopyWithItsBytesCounted() {
        try (Tensor t = backend.constant(new float[] {1, 2, 3, 4}, 2, 2)) {
            for (CopyPolicy policy : new CopyPolicy[] {CopyPolicy.IF_NEEDED, CopyPolicy.ALWAYS}) {
                try (HostArray writable = t.toHost(policy, Access.WRITABLE); HostArray readOnly = t.toHost(policy)) {
                    assertEquals(Sharing.INDEPENDENT, writable.sharing());
                    assertEquals(16, writable.bytesCopied());
                    assertEquals(16, readOnly.bytesCopied());
                    assertTrue(readOnly.isReadOnly());
                    writable.setFloat(100, 0, 0);
                    try (HostArray again = t.toHost()) {
                        assertEquals(1f, again.getFloat(0, 0), "a write to a copy reached the device");
                    }
                    assertEquals(backend.device(), writable.sourceDevice());
                }
            }
        }
    }

    @Test
    void sparseValuesAreCopiesToo() {
        try (Tensor index = backend.constant(new long[] {0, 2}, 2, 1); Tensor value = backend.constant(
                new float[] {5, 6}, 2); SparseTensor x = backend.sparseCoo(index, value, Shape.of(4));
                SparseValue v = x.toSparseValue()) {
            assertEquals(Sharing.INDEPENDENT, v.indices().sharing());
            assertEquals(Sharing.INDEPENDENT, v.values().sharing());
            assertEquals(16, v.indices().bytesCopied());
            assertEquals(8, v.values().bytesCopied());
            assertThrows(CopyRequiredException.class, () -> x.toSparseValue(CopyPolicy.NEVER, Access.READ_ONLY));
        }
    }

    @Test
    void hostBuffersOfEveryKindArriveIntact() {
        float[] values = {1.5f, -2.25f, 3e7f, Float.MIN_VALUE};
        ByteBuffer bigEndianHeap = ByteBuffer.allocate(16 + 4).order(ByteOrder.BIG_ENDIAN);
        bigEndianHeap.position(4);
        for (float v : values) {
            bigEndianHeap.putFloat(v);
        }
        bigEndianHeap.position(4);
        ByteBuffer nativeHeap = ByteBuffer.allocate(16 + 8).order(ByteOrder.nativeOrder());
        nativeHeap.position(8);
        nativeHeap.asFloatBuffer().put(values);
        ByteBuffer readOnly = nativeHeap.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer offsetDirect = ByteBuffer.allocateDirect(16 + 12).order(ByteOrder.nativeOrder());
        offsetDirect.position(12);
        offsetDirect.asFloatBuffer().put(values);
        for (ByteBuffer buffer : new ByteBuffer[] {bigEndianHeap, nativeHeap, readOnly, offsetDirect}) {
            int position = buffer.position();
            try (Tensor t = backend.fromBuffer(buffer, DType.FLOAT32, Shape.of(4)); HostArray host = t.toHost()) {
                assertArrayEquals(values, host.toFloatArray(), buffer + " (direct " + buffer.isDirect() + ")");
            }
            assertEquals(position, buffer.position(), "fromBuffer moved the caller's position");
        }
    }

    @Test
    void zeroSizeTensorsOwnNoDeviceBuffer() {
        long before = backend.liveDeviceBuffers();
        try (Tensor empty = backend.zeros(DType.FLOAT32, Shape.of(0, 3)); HostArray host = empty.toHost()) {
            assertEquals(before, backend.liveDeviceBuffers(), "an empty tensor created a cl_mem");
            assertEquals(0, host.byteSize());
        }
    }
}
