package org.tensorbridge.backend.cpu;

import org.bytedeco.javacpp.BooleanPointer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.javacpp.indexer.Bfloat16Indexer;
import org.bytedeco.javacpp.indexer.BooleanIndexer;
import org.bytedeco.javacpp.indexer.ByteIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.HalfIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.javacpp.indexer.LongIndexer;
import org.bytedeco.javacpp.indexer.ShortIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorbridge.DType;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.Operand;

/**
 * ND4J arrays over tensorbridge host memory, without a copy: ND4J's kernels read and write the
 * very bytes that host views share. The caller keeps the operand's storage referenced while the
 * array is in use; the array owns nothing and frees nothing.
 */
final class Nd4jViews {
    private Nd4jViews() {
    }

    /** ND4J's element type for a tensorbridge dtype; every dtype has one. */
    static DataType dataType(DType dtype) {
        return switch (dtype) {
            case BOOL -> DataType.BOOL;
            case INT8 -> DataType.BYTE;
            case UINT8 -> DataType.UBYTE;
            case INT16 -> DataType.SHORT;
            case INT32 -> DataType.INT;
            case INT64 -> DataType.LONG;
            case FLOAT16 -> DataType.HALF;
            case BFLOAT16 -> DataType.BFLOAT16;
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
        };
    }

    /** A row-major ND4J array over the operand's memory. */
    static INDArray of(Operand operand) {
        HostStorage storage = (HostStorage) operand.storage();
        DType dtype = operand.dtype();
        long length = operand.shape().elementCount();
        // The ND4J array lives for one kernel call, while the caller holds the operand's reference.
        Pointer raw = new Pointer(storage.transientBuffer());
        Pointer typed;
        Indexer indexer;
        switch (dtype) {
            case FLOAT32 -> {
                FloatPointer p = new FloatPointer(raw);
                typed = p;
                indexer = FloatIndexer.create(p.capacity(length));
            }
            case FLOAT64 -> {
                DoublePointer p = new DoublePointer(raw);
                typed = p;
                indexer = DoubleIndexer.create(p.capacity(length));
            }
            case INT32 -> {
                IntPointer p = new IntPointer(raw);
                typed = p;
                indexer = IntIndexer.create(p.capacity(length));
            }
            case INT64 -> {
                LongPointer p = new LongPointer(raw);
                typed = p;
                indexer = LongIndexer.create(p.capacity(length));
            }
            case INT16 -> {
                ShortPointer p = new ShortPointer(raw);
                typed = p;
                indexer = ShortIndexer.create(p.capacity(length));
            }
            case FLOAT16 -> {
                ShortPointer p = new ShortPointer(raw);
                typed = p;
                indexer = HalfIndexer.create(p.capacity(length));
            }
            case BFLOAT16 -> {
                ShortPointer p = new ShortPointer(raw);
                typed = p;
                indexer = Bfloat16Indexer.create(p.capacity(length));
            }
            case INT8 -> {
                BytePointer p = new BytePointer(raw);
                typed = p;
                indexer = ByteIndexer.create(p.capacity(length));
            }
            case UINT8 -> {
                BytePointer p = new BytePointer(raw);
                typed = p;
                indexer = UByteIndexer.create(p.capacity(length));
            }
            case BOOL -> {
                BooleanPointer p = new BooleanPointer(raw);
                typed = p;
                indexer = BooleanIndexer.create(p.capacity(length));
            }
            default -> throw new AssertionError(dtype);
        }
        typed.limit(length);
        DataType dataType = dataType(dtype);
        DataBuffer buffer = Nd4j.getDataBufferFactory().create(typed, dataType, length, indexer);
        long[] shape = operand.shape().toArray();
        return Nd4j.create(buffer, shape, operand.shape().contiguousStrides(), 0, 'c', dataType);
    }
}
