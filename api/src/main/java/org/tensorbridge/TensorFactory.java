package org.tensorbridge;

import java.nio.ByteBuffer;

/**
 * The creating half of a {@link Backend}: tensors from buffers, Java arrays and fill values, and
 * sparse tensors from their parts. Every method returns a new tensor that the caller owns and closes
 * (or that the innermost open {@link TensorScope} of the calling thread closes).
 *
 * <p>Thread-safe.
 */
public interface TensorFactory {
    /**
     * A tensor over the {@code remaining()} bytes of {@code data}, read as {@code dtype} elements
     * in the buffer's {@link ByteBuffer#order() byte order}. Under {@link CopyPolicy#NEVER} the
     * tensor wraps the buffer without a copy (the buffer is kept alive, and later writes to it are
     * visible in the tensor), which needs a backend that {@link BackendCapabilities#wrapsHostBuffers()
     * wraps host buffers}, a direct buffer and native byte order; otherwise it throws
     * {@link CopyRequiredException}. {@code IF_NEEDED} wraps when it can and copies otherwise;
     * {@code ALWAYS} copies. The buffer's position and limit are not changed. A tensor over a
     * read-only buffer gives no writable shared views.
     *
     * @throws ShapeMismatchException if {@code remaining()} is not the shape's byte size
     */
    default Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy) {
        return fromBuffer(data, dtype, shape, policy, null);
    }

    /**
     * {@link #fromBuffer(ByteBuffer, DType, Shape, CopyPolicy)} over memory that someone else frees,
     * such as an Arrow buffer or a file mapping: {@code owner} is closed exactly once, when the last
     * holder of the wrapped memory (the tensor, its views, host arrays over it) is closed, or at once
     * if the data was copied or the call failed. A null owner means the buffer's own lifetime is
     * enough. While the memory is held, reads through host arrays over it never touch freed memory;
     * a {@code ByteBuffer} taken from such a host array must not be used after that array is closed.
     */
    Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner);

    /** {@code fromBuffer(data, dtype, shape, CopyPolicy.IF_NEEDED)}. */
    default Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape) {
        return fromBuffer(data, dtype, shape, CopyPolicy.IF_NEEDED);
    }

    /** A tensor of zeros: {@code fill(dtype, shape, 0)}. */
    default Tensor zeros(DType dtype, Shape shape) {
        return fill(dtype, shape, 0);
    }

    /** A tensor of ones ({@code true} for {@code bool}): {@code fill(dtype, shape, 1)}. */
    default Tensor ones(DType dtype, Shape shape) {
        return fill(dtype, shape, 1);
    }

    /**
     * A tensor with every element {@code value}.
     *
     * @throws DTypeMismatchException if {@code dtype} cannot represent {@code value} exactly
     */
    Tensor fill(DType dtype, Shape shape, Number value);

    /** A rank-0 tensor holding {@code value}: {@code fill(dtype, Shape.scalar(), value)}. */
    default Tensor scalar(DType dtype, Number value) {
        return fill(dtype, Shape.scalar(), value);
    }

    /**
     * A {@code bool} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(boolean[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code int8} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(byte[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code int16} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(short[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code int32} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(int[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code int64} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(long[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code float32} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(float[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }

    /**
     * A {@code float64} tensor of {@code data} in row-major order; rank 1 when {@code shape} is
     * omitted. The data is copied once, into memory the tensor then owns.
     *
     * @throws ShapeMismatchException if the shape's element count is not {@code data.length}
     */
    default Tensor constant(double[] data, long... shape) {
        return fromEncoded(JavaArrays.flat(data, shape));
    }


    /**
     * A rank-2 {@code bool} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(boolean[][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-3 {@code bool} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(boolean[][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-4 {@code bool} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(boolean[][][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-2 {@code int32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(int[][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-3 {@code int32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(int[][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-4 {@code int32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(int[][][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-2 {@code int64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(long[][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-3 {@code int64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(long[][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-4 {@code int64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(long[][][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-2 {@code float32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(float[][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-3 {@code float32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(float[][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-4 {@code float32} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(float[][][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-2 {@code float64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(double[][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-3 {@code float64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(double[][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    /**
     * A rank-4 {@code float64} tensor of a rectangular nested array, copied once.
     *
     * @throws ShapeMismatchException if the array is ragged, naming the first short or long row
     */
    default Tensor constant(double[][][][] data) {
        return fromEncoded(JavaArrays.nested(data));
    }

    private Tensor fromEncoded(JavaArrays.Encoded encoded) {
        // The buffer is new and seen by no one else, so wrapping it (when the backend can) is safe.
        return fromBuffer(encoded.buffer(), encoded.dtype(), encoded.shape(), CopyPolicy.IF_NEEDED);
    }

    // ---- sparse tensors ----

    /**
     * A COO sparse tensor from {@code indices} ({@code int64 [nnz, rank]}) and {@code values}
     * ({@code [nnz]}) tensors of this backend. The sparse tensor holds references to their memory
     * (no copy); the caller may close them. Indices are validated: each must lie in
     * {@code denseShape}. Duplicates and any order are allowed; {@link SparseTensor#isCanonical()}
     * says whether they are sorted without duplicates.
     *
     * @throws DTypeMismatchException if {@code indices} is not int64
     * @throws ShapeMismatchException if the shapes do not fit each other or {@code denseShape}'s rank
     * @throws IndexOutOfBoundsException naming the first index outside {@code denseShape}, its position and value
     */
    SparseTensor sparseCoo(Tensor indices, Tensor values, Shape denseShape);

    /**
     * A rank-2 sparse tensor from CSR parts: {@code indptr} ({@code int64 [rows + 1]}, starting at 0,
     * non-decreasing, ending at nnz), {@code columns} ({@code int64 [nnz]}) and {@code values}. Stored
     * as COO: the row indices are expanded (a copy); the values are shared.
     *
     * @throws IllegalArgumentException naming the first inconsistent {@code indptr} entry
     * @throws IndexOutOfBoundsException naming the first column outside the dense shape
     */
    SparseTensor sparseCsr(Tensor indptr, Tensor columns, Tensor values, Shape denseShape);

    /** A COO float32 sparse tensor; {@code indices[i]} is the index of {@code values[i]}. */
    default SparseTensor sparseCoo(long[][] indices, float[] values, long... denseShape) {
        return sparseFromArrays(indices, constant(values), denseShape);
    }

    /** A COO float64 sparse tensor; {@code indices[i]} is the index of {@code values[i]}. */
    default SparseTensor sparseCoo(long[][] indices, double[] values, long... denseShape) {
        return sparseFromArrays(indices, constant(values), denseShape);
    }

    /** A COO int32 sparse tensor; {@code indices[i]} is the index of {@code values[i]}. */
    default SparseTensor sparseCoo(long[][] indices, int[] values, long... denseShape) {
        return sparseFromArrays(indices, constant(values), denseShape);
    }

    /** A COO int64 sparse tensor; {@code indices[i]} is the index of {@code values[i]}. */
    default SparseTensor sparseCoo(long[][] indices, long[] values, long... denseShape) {
        return sparseFromArrays(indices, constant(values), denseShape);
    }

    /** A float32 CSR sparse tensor of {@code rows x columns}, as SciPy's {@code csr_matrix((data, indices, indptr))}. */
    default SparseTensor sparseCsr(long[] indptr, long[] columnIndices, float[] values, long rows, long columns) {
        try (Tensor p = constant(indptr); Tensor c = constant(columnIndices); Tensor v = constant(values)) {
            return sparseCsr(p, c, v, Shape.of(rows, columns));
        }
    }

    /** A float64 CSR sparse tensor of {@code rows x columns}. */
    default SparseTensor sparseCsr(long[] indptr, long[] columnIndices, double[] values, long rows, long columns) {
        try (Tensor p = constant(indptr); Tensor c = constant(columnIndices); Tensor v = constant(values)) {
            return sparseCsr(p, c, v, Shape.of(rows, columns));
        }
    }

    private SparseTensor sparseFromArrays(long[][] indices, Tensor values, long[] denseShape) {
        try (values; Tensor index = constant(JavaArrays.indexRows(indices, denseShape), indices.length,
                denseShape.length)) {
            return sparseCoo(index, values, Shape.of(denseShape));
        }
    }

    /**
     * A tensor of any rectangular Java primitive array of rank 1 to 4 ({@code boolean} to
     * {@code double}), as TensorFlow's {@code constant(list)}: {@code constantOf(new int[][] {{1, 2}})}.
     *
     * @throws IllegalArgumentException if {@code javaArray} is not a primitive array
     * @throws ShapeMismatchException if it is ragged
     */
    default Tensor constantOf(Object javaArray) {
        return fromEncoded(JavaArrays.nested(javaArray));
    }
}
