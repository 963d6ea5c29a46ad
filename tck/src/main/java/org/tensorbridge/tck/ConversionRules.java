package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/** Rules 1.x: share or copy, and whether the report says which. */
public interface ConversionRules extends KitContext {
    double[] VALUES = {1, 2, 3, 4, 5, 6};
    Shape SHAPE = Shape.of(2, 3);

    /** Every CopyPolicy × Access. */
    static Stream<Arguments> policiesAndAccesses() {
        return Stream.of(CopyPolicy.values())
                .flatMap(policy -> Stream.of(Access.values()).map(access -> Arguments.of(policy, access)));
    }

    @Test
    @ConformanceRule("1.1")
    default void defaultConversionIsIfNeededAndReadOnly() {
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES);
                HostArray byDefault = tensor.toHost();
                HostArray explicit = tensor.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            assertTrue(byDefault.isReadOnly(), "toHost() returned a writable array; the default access is READ_ONLY");
            assertEquals(explicit.sharing(), byDefault.sharing(),
                    "toHost() and toHost(IF_NEEDED, READ_ONLY) report different sharing");
            assertArrayEquals(VALUES, byDefault.convertToDoubleArray(), "toHost() values");
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("org.tensorbridge.tck.ConversionRules#policiesAndAccesses")
    @ConformanceRule("1.2")
    default void sharingReportIsTrue(CopyPolicy policy, Access access) {
        Optional<MutableTensor> mutable = fixtures().mutable(DType.FLOAT32, SHAPE, VALUES);
        try (Tensor plain = mutable.isPresent() ? null : fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            Tensor tensor = mutable.map(MutableTensor::tensor).orElse(plain);
            HostArray host;
            try {
                host = tensor.toHost(policy, access);
            } catch (CopyRequiredException refused) {
                assertTrue(policy == CopyPolicy.NEVER, policy + " threw CopyRequiredException; only NEVER may refuse");
                return; // Whether NEVER may refuse is rules 1.4 and 1.5.
            }
            try (host) {
                String label = policy + " + " + access + " reported " + host.sharing();
                if (host.sharing() == Sharing.SHARED) {
                    MutableTensor m = mutable.orElse(null);
                    assumeTrue(m != null, "the backend reports a share but offers no way to change a tensor "
                            + "(neither wrapsHostBuffers nor sharesWritable), so the kit cannot observe it");
                    m.set(0, 42);
                    assertEquals(42.0, host.getAsDouble(0, 0), label + " but " + m.how()
                            + " did not show in it: the array does not alias the tensor");
                    if (!host.isReadOnly()) {
                        host.setFloat(77f, 0, 1);
                        assertEquals(77.0, fixtures().values(tensor)[1], label
                                + " and writable, but a write through it did not reach the tensor");
                    }
                } else {
                    mutable.ifPresent(m -> {
                        m.set(0, 42);
                        assertEquals(1.0, host.getAsDouble(0, 0), label + " but " + m.how() + " showed in it");
                    });
                    if (!host.isReadOnly()) {
                        host.setFloat(77f, 0, 2);
                        assertEquals(3.0, fixtures().values(tensor)[2], label
                                + " but a write to it reached the tensor");
                    }
                }
            }
        } finally {
            mutable.ifPresent(MutableTensor::close);
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("org.tensorbridge.tck.ConversionRules#policiesAndAccesses")
    @ConformanceRule("1.3")
    default void bytesCopiedIsTrue(CopyPolicy policy, Access access) {
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            HostArray host;
            try {
                host = tensor.toHost(policy, access);
            } catch (CopyRequiredException refused) {
                return;
            }
            try (host) {
                long expected = host.sharing() == Sharing.SHARED ? 0 : 6L * Float.BYTES;
                assertEquals(expected, host.bytesCopied(), policy + " + " + access + " reported " + host.sharing()
                        + " with bytesCopied " + host.bytesCopied());
            }
        }
    }

    @Test
    @ConformanceRule("1.4")
    default void neverSharesExactlyWhenDeclared() {
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            if (declared().sharesHostMemory()) {
                try (HostArray host = tensor.toHost(CopyPolicy.NEVER)) {
                    assertEquals(Sharing.SHARED, host.sharing(), "NEVER returned a non-shared array");
                    assertArrayEquals(VALUES, host.convertToDoubleArray(), "values of the NEVER share");
                } catch (CopyRequiredException e) {
                    fail("the backend declares sharesHostMemory but NEVER threw: " + e.getMessage());
                }
                fixtures().mutable(DType.FLOAT32, SHAPE, VALUES).ifPresent(m -> {
                    try (m; HostArray host = m.tensor().toHost(CopyPolicy.NEVER)) {
                        m.set(5, -1);
                        assertEquals(-1.0, host.getAsDouble(1, 2), "NEVER returned a share that does not alias the "
                                + "tensor: " + m.how() + " did not show in it");
                    }
                });
            } else {
                assertThrows(CopyRequiredException.class, () -> tensor.toHost(CopyPolicy.NEVER).close(),
                        "the backend declares no sharing, so NEVER must throw CopyRequiredException");
            }
        }
    }

    @Test
    @ConformanceRule("1.5")
    default void neverWritableSharesExactlyWhenDeclared() {
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            if (declared().sharesWritable()) {
                try (HostArray host = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                    assertEquals(Sharing.SHARED, host.sharing(), "NEVER + WRITABLE returned a non-shared array");
                    assertFalse(host.isReadOnly(), "NEVER + WRITABLE returned a read-only array");
                    host.setFloat(-7f, 1, 0);
                    assertEquals(-7.0, fixtures().values(tensor)[3], "a write through the NEVER + WRITABLE share did "
                            + "not reach the tensor");
                    try (Tensor later = tensor.add(tensor)) {
                        assertEquals(-14.0, fixtures().values(later)[3], "a later operation did not see the write "
                                + "made through the writable share");
                    }
                } catch (CopyRequiredException e) {
                    fail("the backend declares sharesWritable but NEVER + WRITABLE threw: " + e.getMessage());
                }
            } else {
                assertThrows(CopyRequiredException.class, () -> tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE).close(),
                        "the backend declares no writable sharing, so NEVER + WRITABLE must throw CopyRequiredException");
            }
        }
    }

    @ParameterizedTest(name = "ALWAYS + {0}")
    @org.junit.jupiter.params.provider.EnumSource(Access.class)
    @ConformanceRule("1.6")
    default void alwaysCopiesIndependently(Access access) {
        Optional<MutableTensor> mutable = fixtures().mutable(DType.FLOAT32, SHAPE, VALUES);
        try (Tensor plain = mutable.isPresent() ? null : fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            Tensor tensor = mutable.map(MutableTensor::tensor).orElse(plain);
            try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS, access)) {
                assertEquals(Sharing.INDEPENDENT, copy.sharing(), "ALWAYS reported " + copy.sharing());
                assertEquals(access == Access.READ_ONLY, copy.isReadOnly(), "ALWAYS + " + access + " read-only flag");
                assertArrayEquals(VALUES, copy.convertToDoubleArray(), "values of the copy");
                mutable.ifPresent(m -> {
                    m.set(0, 99);
                    assertEquals(1.0, copy.getAsDouble(0, 0), "a later change to the tensor (" + m.how()
                            + ") reached the ALWAYS copy: it still aliases");
                });
                if (access == Access.WRITABLE) {
                    copy.setFloat(55f, 1, 1);
                    assertEquals(5.0, fixtures().values(tensor)[4], "a write to the ALWAYS copy reached the tensor");
                }
            }
        } finally {
            mutable.ifPresent(MutableTensor::close);
        }
    }

    @Test
    @ConformanceRule("1.7")
    default void impossibleNeverNamesDeviceAndPolicy() {
        CopyRequiredException refusal;
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES)) {
            if (!declared().sharesHostMemory()) {
                refusal = assertThrows(CopyRequiredException.class, () -> tensor.toHost(CopyPolicy.NEVER).close());
            } else if (!declared().sharesWritable()) {
                refusal = assertThrows(CopyRequiredException.class,
                        () -> tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE).close());
            } else {
                assumeTrue(declared().wrapsHostBuffers(), "the backend shares everything and wraps no buffers, so "
                        + "the kit has no impossible NEVER to provoke");
                java.nio.ByteBuffer readOnly = Elements.buffer(DType.FLOAT32, VALUES).asReadOnlyBuffer()
                        .order(java.nio.ByteOrder.nativeOrder());
                try (Tensor wrapped = backend().fromBuffer(readOnly, DType.FLOAT32, SHAPE, CopyPolicy.NEVER)) {
                    refusal = assertThrows(CopyRequiredException.class,
                            () -> wrapped.toHost(CopyPolicy.NEVER, Access.WRITABLE).close(),
                            "a writable share of a tensor that wraps a read-only buffer must be refused");
                }
            }
        }
        String message = String.valueOf(refusal.getMessage());
        assertTrue(message.contains(backend().device().toString()) || message.contains(backend().device().name()),
                "the message does not name the device " + backend().device() + ": " + message);
        assertTrue(message.contains("IF_NEEDED") || message.contains("ALWAYS") || message.contains("READ_ONLY"),
                "the message does not name a policy or access that works: " + message);
    }

    @Test
    @ConformanceRule("1.8")
    default void ifNeededSharesWhenDeclared() {
        assumeTrue(declared().sharesHostMemory(), "not applicable: the backend declares no sharing");
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, SHAPE, VALUES);
                HostArray readOnly = tensor.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            assertEquals(Sharing.SHARED, readOnly.sharing(), "IF_NEEDED + READ_ONLY copied although the backend shares");
            if (declared().sharesWritable()) {
                try (HostArray writable = tensor.toHost(CopyPolicy.IF_NEEDED, Access.WRITABLE)) {
                    assertEquals(Sharing.SHARED, writable.sharing(),
                            "IF_NEEDED + WRITABLE copied although the backend shares writable");
                }
            }
        }
    }

    @Test
    @ConformanceRule("1.9")
    default void hostArraysAreRowMajor() {
        for (Shape shape : new Shape[] {Shape.of(4), Shape.of(2, 3), Shape.of(2, 3, 4)}) {
            double[] values = Elements.sequence(DType.FLOAT32, (int) shape.elementCount());
            try (Tensor tensor = fixtures().tensor(DType.FLOAT32, shape, values)) {
                for (CopyPolicy policy : new CopyPolicy[] {CopyPolicy.IF_NEEDED, CopyPolicy.ALWAYS}) {
                    try (HostArray host = tensor.toHost(policy)) {
                        assertArrayEquals(shape.contiguousStrides(), host.strides(), policy + " strides for " + shape);
                    }
                }
            }
        }
    }
}
