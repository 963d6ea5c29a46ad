package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.dtype.Cast;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.HostStorage;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.Storage;

/**
 * The CPU backend: tensors live in host memory that ND4J's native kernels read and write in place.
 *
 * <p>Sharing: host views alias tensor memory ({@code NEVER} and {@code IF_NEEDED} share, read-only
 * unless {@code WRITABLE} is asked for); a caller's direct, native-order buffer is wrapped without a
 * copy. Copies are single bulk copies. All ten dtypes are supported; arithmetic needs a numeric one.
 * Elementwise results of up to 16 384 elements (system property
 * {@code tensorbridge.cpu.javaKernelMaxElements}) are computed in Java rather than by ND4J, whose
 * fixed cost per op would dominate them; the values are the same.
 *
 * <p>Thread-safe: kernels share no mutable state.
 */
public final class CpuBackend extends AbstractBackend {
    /** The name this backend registers under. */
    public static final String NAME = "cpu";

    /** Elementwise results up to this many elements are computed in Java (see {@link JavaElementwise}). */
    static final long DEFAULT_JAVA_KERNEL_MAX_ELEMENTS = 16_384;

    private final long javaKernelMaxElements;

    CpuBackend() {
        this(Long.getLong("tensorbridge.cpu.javaKernelMaxElements", DEFAULT_JAVA_KERNEL_MAX_ELEMENTS));
    }

    /** @param javaKernelMaxElements the largest elementwise result computed in Java; 0 sends all to ND4J */
    CpuBackend(long javaKernelMaxElements) {
        super(NAME, Device.cpu(System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, ND4J native"), BackendCapabilities.builder()
                .sharesHostMemory(true)
                .sharesWritable(true)
                .wrapsHostBuffers(true)
                .supportedDTypes(EnumSet.allOf(DType.class))
                .build());
        this.javaKernelMaxElements = javaKernelMaxElements;
    }

    @Override
    protected Storage allocate(long byteSize) {
        return HostStorage.allocate(byteSize, ledger());
    }

    /**
     * Results that their kernel overwrites come from the spi's pool of host blocks: no zeroing, and the
     * block is reused once the tensor is closed, unless a buffer over it was handed out. Kernels here
     * reach the memory only through transient buffers, while the operands are pinned.
     */
    @Override
    protected Storage allocateForOverwrite(long byteSize) {
        return HostStorage.allocateForCopy(byteSize, ledger());
    }

    @Override
    protected Storage wrapHostBuffer(HostStorage buffer) {
        return buffer;
    }

    @Override
    protected void upload(ByteBuffer source, Storage target) {
        host(target).transientBuffer().put(source.duplicate());
    }

    @Override
    protected void download(Storage source, ByteBuffer target) {
        target.put(host(source).transientBuffer().limit(target.remaining()));
    }

    @Override
    protected void fill(Operand target, ByteBuffer element) {
        // Doubling bulk copies: one element, then 2, 4, ... bytes copied from the front.
        ByteBuffer memory = host(target.storage()).transientBuffer();
        int total = (int) target.byteSize();
        memory.put(0, element, 0, element.remaining());
        int filled = element.remaining();
        while (filled < total) {
            int chunk = Math.min(filled, total - filled);
            memory.put(filled, memory, 0, chunk);
            filled += chunk;
        }
    }

    @Override
    protected void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
        if (op == BinaryOp.DIVIDE && result.dtype().isInteger()) {
            IntegerDivision.divide(a, b, result);
            return;
        }
        if (JavaElementwise.handles(op, a, b, result, javaKernelMaxElements)) {
            JavaElementwise.run(op, a, b, result);
            return;
        }
        INDArray[] inputs = {Nd4jViews.of(a), Nd4jViews.of(b)};
        INDArray[] outputs = {Nd4jViews.of(result)};
        DynamicCustomOp kernel = switch (op) {
            case ADD -> new AddOp(inputs, outputs);
            case SUBTRACT -> new SubOp(inputs, outputs);
            case MULTIPLY -> new MulOp(inputs, outputs);
            case DIVIDE -> new DivOp(inputs, outputs);
        };
        Nd4j.exec(kernel);
    }

    @Override
    protected void matmul(Operand a, Operand b, Operand result) {
        Nd4j.exec(new Mmul(Nd4jViews.of(a), Nd4jViews.of(b), Nd4jViews.of(result), null));
    }

    @Override
    protected void cast(Operand source, Operand result) {
        Cast kernel = new Cast(Nd4jViews.of(source), Nd4jViews.dataType(result.dtype()));
        kernel.addOutputArgument(Nd4jViews.of(result));
        Nd4j.exec(kernel);
    }

    private static HostStorage host(Storage storage) {
        return (HostStorage) storage;
    }
}
