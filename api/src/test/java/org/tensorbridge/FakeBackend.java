package org.tensorbridge;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;

/**
 * The least a {@link Backend} can be for discovery tests: a name, a device and capabilities; every
 * tensor operation throws. Public because the test providers that create it are loaded by another
 * class loader.
 */
public final class FakeBackend implements Backend {
    private final String name;

    public FakeBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Device device() {
        return Device.cpu("fake");
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.builder().supportedDTypes(EnumSet.of(DType.FLOAT32)).build();
    }

    @Override
    public Tensor fill(DType dtype, Shape shape, Number value) {
        throw unsupported();
    }

    @Override
    public Tensor apply(Operation operation, Attributes attributes, AnyTensor... inputs) {
        throw unsupported();
    }

    @Override
    public SparseTensor applySparse(Operation operation, Attributes attributes, AnyTensor... inputs) {
        throw unsupported();
    }

    @Override
    public Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner) {
        throw unsupported();
    }

    @Override
    public SparseTensor sparseCoo(Tensor indices, Tensor values, Shape denseShape) {
        throw unsupported();
    }

    @Override
    public SparseTensor sparseCsr(Tensor indptr, Tensor columns, Tensor values, Shape denseShape) {
        throw unsupported();
    }

    @Override
    public Graph newGraph() {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("FakeBackend has no tensors");
    }
}
