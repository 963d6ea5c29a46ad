package org.tensorbridge;

import java.nio.ByteBuffer;
import java.util.EnumSet;

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
    public Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy) {
        throw unsupported();
    }

    @Override
    public Tensor zeros(DType dtype, Shape shape) {
        throw unsupported();
    }

    @Override
    public Tensor ones(DType dtype, Shape shape) {
        throw unsupported();
    }

    @Override
    public Tensor fill(DType dtype, Shape shape, Number value) {
        throw unsupported();
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public Tensor add(Tensor a, Number scalar) {
        throw unsupported();
    }

    @Override
    public Tensor subtract(Tensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public Tensor subtract(Tensor a, Number scalar) {
        throw unsupported();
    }

    @Override
    public Tensor multiply(Tensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public Tensor multiply(Tensor a, Number scalar) {
        throw unsupported();
    }

    @Override
    public Tensor divide(Tensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public Tensor divide(Tensor a, Number scalar) {
        throw unsupported();
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public Tensor reshape(Tensor a, long... dims) {
        throw unsupported();
    }

    @Override
    public Tensor cast(Tensor a, DType dtype) {
        throw unsupported();
    }

    private UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the fake backend '" + name + "' has no tensors");
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
    public SparseTensor toSparse(Tensor dense) {
        throw unsupported();
    }

    @Override
    public Tensor toDense(SparseTensor a, long maxElements) {
        throw unsupported();
    }

    @Override
    public SparseTensor coalesce(SparseTensor a) {
        throw unsupported();
    }

    @Override
    public Tensor matmul(SparseTensor a, Tensor b) {
        throw unsupported();
    }

    @Override
    public SparseTensor add(SparseTensor a, SparseTensor b) {
        throw unsupported();
    }

    @Override
    public SparseTensor multiply(SparseTensor a, Number scalar) {
        throw unsupported();
    }

    @Override
    public SparseTensor transpose(SparseTensor a) {
        throw unsupported();
    }

    @Override
    public Tensor sum(SparseTensor a, int axis) {
        throw unsupported();
    }

    @Override
    public Graph newGraph() {
        throw unsupported();
    }
}
