package org.tensorbridge;

import java.nio.ByteBuffer;

/**
 * A dense array in host memory, produced by converting a {@link Tensor} (or by a backend for a
 * fetch), with a truthful report of how it was produced.
 *
 * <h2>Sharing</h2>
 * {@link #sharing()} is {@link Sharing#SHARED} when the array aliases memory that the tensor or
 * anyone else can see, and {@link Sharing#INDEPENDENT} when no one else sees it.
 * {@link #bytesCopied()} is 0 for a zero-copy result and the number of bytes moved otherwise.
 *
 * <h2>Read-only</h2>
 * When {@link #isReadOnly()} is true, every setter throws {@link ReadOnlyException} and
 * {@link #asByteBuffer()} returns a read-only buffer.
 *
 * <h2>Elements</h2>
 * Elements are in row-major order with the {@link #strides()} reported, in the platform's native
 * byte order. Typed accessors are strict: {@code getFloat} needs a float dtype
 * ({@code float32}, {@code float16}, {@code bfloat16}), {@code getInt} needs {@code int32}, and so
 * on; a mismatch throws {@link DTypeMismatchException}. {@link #getAsDouble} reads any dtype.
 * An index of the wrong rank or out of range throws {@link IndexOutOfBoundsException}.
 *
 * <h2>Lifetime</h2>
 * A host array holds a reference to its memory: a shared view stays readable after the tensor is
 * closed, and the memory is released when the last holder closes. After {@link #close()} every
 * method except {@code close}, {@link #isClosed()} and the descriptive getters throws
 * {@link ClosedResourceException}; closing twice is harmless.
 *
 * <p>A buffer obtained from {@link #asByteBuffer()} lives apart from this array (Java 17 cannot revoke
 * a {@code ByteBuffer}). Over memory this library allocated it keeps that memory reachable by itself,
 * so using it after close never crashes the JVM, though its contents are then no longer covered by
 * this contract. Over memory that another library frees (a tensor imported from Arrow without a
 * copy, a TensorFlow tensor, a tensor made by {@code fromBuffer} with an owner) it does not: the
 * owner frees the memory when its last holder closes, and the buffer must not be used after that.
 * To keep such a buffer in use, let what uses it hold this array, for example as the owner of
 * {@code fromBuffer(array.asByteBuffer(), array.dtype(), array.shape(), CopyPolicy.IF_NEEDED, array)},
 * or copy the elements.
 *
 * <h2>Thread-safety</h2>
 * Reads may run concurrently with each other and with {@code close()}: each read returns the
 * element or throws {@link ClosedResourceException}. Concurrent writes to the same element are
 * not ordered; synchronise externally as with a Java array.
 */
public interface HostArray extends AutoCloseable {
    /** Element type. */
    DType dtype();

    /** Dimensions. */
    Shape shape();

    /** Strides in elements, row-major for arrays this library produces. */
    long[] strides();

    /** The device of the tensor this array came from. */
    Device sourceDevice();

    /** Whether the array aliases memory that someone else can see. */
    Sharing sharing();

    /** Bytes copied to produce this array; 0 for a zero-copy view. */
    long bytesCopied();

    /** True if writes are rejected. */
    boolean isReadOnly();

    /** Size of the elements in bytes: element count times dtype width. */
    default long byteSize() {
        return shape().elementCount() * dtype().byteWidth();
    }

    /**
     * A direct buffer over the elements, positioned at 0, limit {@link #byteSize()}, in native byte
     * order; read-only when this array is. Each call returns a new buffer object over the same
     * memory, so positions never interfere. How long the buffer may be used: see the class comment's
     * lifetime section (over another library's memory, only while the memory is held).
     */
    ByteBuffer asByteBuffer();

    // ---- typed element access (strict) ----

    /** The element at {@code index} of a {@code bool} array. */
    boolean getBoolean(long... index);

    /** The element at {@code index} of an {@code int8} or {@code uint8} array (raw bits). */
    byte getByte(long... index);

    /** The element at {@code index} of an {@code int16} array. */
    short getShort(long... index);

    /** The element at {@code index} of an {@code int32} array. */
    int getInt(long... index);

    /** The element at {@code index} of an {@code int64} array. */
    long getLong(long... index);

    /** The element at {@code index} of a {@code float32}, {@code float16} or {@code bfloat16} array. */
    float getFloat(long... index);

    /** The element at {@code index} of a {@code float64} array. */
    double getDouble(long... index);

    /**
     * The element at {@code index} of an array of any dtype, converted to {@code double}
     * ({@code uint8} as 0 to 255, {@code bool} as 0 or 1; exact except {@code int64} beyond 2^53).
     */
    double getAsDouble(long... index);

    /** Writes a {@code bool} element. */
    void setBoolean(boolean value, long... index);

    /** Writes an {@code int8} or {@code uint8} element. */
    void setByte(byte value, long... index);

    /** Writes an {@code int16} element. */
    void setShort(short value, long... index);

    /** Writes an {@code int32} element. */
    void setInt(int value, long... index);

    /** Writes an {@code int64} element. */
    void setLong(long value, long... index);

    /** Writes a {@code float32} element, or a {@code float16}/{@code bfloat16} one rounded to nearest. */
    void setFloat(float value, long... index);

    /** Writes a {@code float64} element. */
    void setDouble(double value, long... index);

    // ---- bulk copies into Java arrays (strict; each is one bulk copy) ----

    /** Copies every element of a {@code bool} array into {@code destination}, which must be at least that long. */
    void copyTo(boolean[] destination);

    /** Copies every element of an {@code int8} or {@code uint8} array. */
    void copyTo(byte[] destination);

    /** Copies every element of an {@code int16} array. */
    void copyTo(short[] destination);

    /** Copies every element of an {@code int32} array. */
    void copyTo(int[] destination);

    /** Copies every element of an {@code int64} array. */
    void copyTo(long[] destination);

    /** Copies every element of a {@code float32}, {@code float16} or {@code bfloat16} array. */
    void copyTo(float[] destination);

    /** Copies every element of a {@code float64} array. */
    void copyTo(double[] destination);

    /** A new {@code boolean[]} of a {@code bool} array's elements. */
    default boolean[] toBooleanArray() {
        boolean[] out = new boolean[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code byte[]} of an {@code int8} or {@code uint8} array's elements. */
    default byte[] toByteArray() {
        byte[] out = new byte[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code short[]} of an {@code int16} array's elements. */
    default short[] toShortArray() {
        short[] out = new short[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code int[]} of an {@code int32} array's elements. */
    default int[] toIntArray() {
        int[] out = new int[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code long[]} of an {@code int64} array's elements. */
    default long[] toLongArray() {
        long[] out = new long[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code float[]} of a {@code float32}, {@code float16} or {@code bfloat16} array's elements. */
    default float[] toFloatArray() {
        float[] out = new float[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    /** A new {@code double[]} of a {@code float64} array's elements. */
    default double[] toDoubleArray() {
        double[] out = new double[elementCountOfArray()];
        copyTo(out);
        return out;
    }

    private int elementCountOfArray() {
        // Host arrays hold at most 2 GiB, so the count fits an int for every dtype.
        return Math.toIntExact(shape().elementCount());
    }

    /** Every element of any dtype converted to {@code double}, as {@link #getAsDouble} does. */
    double[] convertToDoubleArray();

    /**
     * The elements as nested lists, the way NumPy prints a list: {@code [[2, 6], [12, 20]]}; a
     * scalar prints as its value. Floating-point values print as Java's shortest representation.
     */
    default String formatValues() {
        StringBuilder text = new StringBuilder();
        ValueFormat.appendAxis(this, text, new long[shape().rank()], 0);
        return text.toString();
    }

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Releases this array's reference to its memory. Idempotent; never throws. */
    @Override
    void close();
}
