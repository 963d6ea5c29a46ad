package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.HostStorage;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.Storage;

/**
 * A plain-Java backend built on the spi toolkit with no native code: the correct baseline the kit
 * must pass, and the base that the deliberately broken backends of the self-tests bend. Kernels
 * compute in double, which is exact for the kit's inputs.
 */
class HeapBackend extends AbstractBackend {
    HeapBackend(String name, BackendCapabilities capabilities) {
        super(name, Device.cpu("plain Java heap test backend"), capabilities);
    }

    HeapBackend() {
        this("heap", fullCapabilities().build());
    }

    static BackendCapabilities.Builder fullCapabilities() {
        return BackendCapabilities.builder().sharesHostMemory(true).sharesWritable(true).wrapsHostBuffers(true)
                .supportedDTypes(EnumSet.allOf(DType.class));
    }

    /** A provider for a backend made by {@code factory}. */
    static BackendProvider provider(String name, java.util.function.Supplier<Backend> factory) {
        return new BackendProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Availability probe() {
                return Availability.available();
            }

            @Override
            public Backend create() {
                return factory.get();
            }
        };
    }

    static ByteBuffer memory(Storage storage) {
        return ((HostStorage) storage).buffer();
    }

    @Override
    protected Storage allocate(long byteSize) {
        return HostStorage.allocate(byteSize, ledger());
    }

    @Override
    protected Storage wrapHostBuffer(HostStorage buffer) {
        return buffer;
    }

    @Override
    protected void upload(ByteBuffer source, Storage target) {
        memory(target).put(source.duplicate());
    }

    @Override
    protected void download(Storage source, ByteBuffer target) {
        target.put(memory(source).limit(target.remaining()));
    }

    @Override
    protected void fill(Operand target, ByteBuffer element) {
        ByteBuffer memory = memory(target.storage());
        for (int at = 0; at < target.byteSize(); at += element.remaining()) {
            memory.put(at, element, 0, element.remaining());
        }
    }

    private static double[] read(Operand operand) {
        ByteBuffer memory = memory(operand.storage());
        double[] values = new double[(int) operand.shape().elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Elements.get(memory, operand.dtype(), i);
        }
        return values;
    }

    private static void write(Operand operand, double[] values) {
        ByteBuffer memory = memory(operand.storage());
        for (int i = 0; i < values.length; i++) {
            Elements.put(memory, operand.dtype(), i, values[i]);
        }
    }

    @Override
    protected void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
        boolean integer = result.dtype().isInteger();
        double[] values = Reference.broadcast(read(a), a.shape(), read(b), b.shape(), result.shape(), (x, y) -> switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> integer ? (long) x / (long) y : x / y;
        });
        write(result, values);
    }

    @Override
    protected void matmul(Operand a, Operand b, Operand result) {
        int m = (int) a.shape().dim(0);
        int k = (int) a.shape().dim(1);
        int n = (int) b.shape().dim(1);
        write(result, Reference.matmul(read(a), read(b), m, k, n));
    }

    @Override
    protected void cast(Operand source, Operand result) {
        write(result, read(source));
    }
}
