package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Tensor;

/**
 * Arrow columns to tensors and host arrays: an {@code arrow.fixed_shape_tensor} column becomes a tensor
 * of shape {@code [rows] + } its logical row shape, a plain {@code FixedSizeList} column with a row shape
 * the caller gives a tensor of shape {@code [rows] + rowShape}, and a plain fixed-width column a rank-1
 * tensor. Elements are the dtypes of {@link ElementTypes}: Arrow {@code Int} (signed, and unsigned 8-bit),
 * {@code FloatingPoint}, and {@code arrow.bool8} for {@code bool}.
 *
 * <h2>Sharing</h2>
 * The tensor is made with {@link Backend#fromBuffer(ByteBuffer, DType, Shape, CopyPolicy, AutoCloseable)}
 * over the column's data buffer: on a backend that {@linkplain
 * org.tensorbridge.BackendCapabilities#wrapsHostBuffers() wraps host buffers} (the CPU backend) the
 * tensor <em>is</em> the Arrow memory, with no copy, under {@code NEVER} and {@code IF_NEEDED}; other
 * backends copy under {@code IF_NEEDED}, and {@code NEVER} throws their
 * {@link org.tensorbridge.CopyRequiredException}. {@code ALWAYS} copies. Host arrays come from that
 * tensor's {@code toHost}, so on the CPU backend they alias the Arrow memory too. Two things make the
 * logical tensor differ from the stored bytes, and cost a copy that {@code NEVER} refuses with
 * {@link CopyRequiredException} naming what works:
 * <ul>
 *   <li>a {@code permutation} in the type's metadata that is not the identity: the logical tensor is the
 *       stored one transposed (axis {@code i} is stored axis {@code permutation[i]}, what pyarrow's
 *       {@code to_numpy_ndarray()} gives), so {@code IF_NEEDED} and {@code ALWAYS} transpose into a new
 *       tensor; {@link #toStoredTensor} shares the stored layout instead;</li>
 *   <li>{@code arrow.bool8} bytes other than 0 and 1, which a {@code bool} tensor cannot hold: they are
 *       made 1 in a copy.</li>
 * </ul>
 *
 * <h2>Lifetime</h2>
 * A wrapping tensor holds its own reference to the Arrow buffer (retained here, released by the owner
 * handed to {@code fromBuffer} when the tensor and every view of it are closed), so the memory stays
 * valid after the vector, its {@code VectorSchemaRoot} or its IPC reader is closed. The allocator counts
 * the memory until then: close tensors and host arrays before closing the allocator. A copy holds no
 * Arrow memory.
 *
 * <h2>Nulls</h2>
 * A tensor has no nulls: a column with a null row or a null element is refused with
 * {@link NullElementsException}. What counts is the vector's validity bitmaps, the same bits Arrow's
 * {@code isNull} reads: they are counted a 64-bit word at a time, and not read at all when they are the
 * shared bitmap of set bits that read-only exports of {@link ArrowExport} use, so converting such a column
 * costs the same for any size. A column read from IPC has the bitmaps its producer sent, which Arrow Java
 * keeps even where the batch's field node says there are no nulls: a producer that understates its nulls
 * is refused here, never believed.
 *
 * <p>Stateless and thread-safe; do not modify a vector while it is being converted.
 */
public final class ArrowImport {
    private ArrowImport() {
    }

    /**
     * The logical tensor of the column, of shape {@code [rows] + vector.rowShape()}: over the column's
     * memory when its permutation is the identity (or absent) and the backend wraps host buffers, a
     * transposed copy otherwise (see the class comment).
     *
     * @throws NullElementsException if the column has a null row or element
     * @throws org.tensorbridge.UnsupportedDTypeException if the elements have no tensor dtype
     * @throws CopyRequiredException under {@code NEVER} when the backend cannot wrap, the permutation is
     *     not the identity, or {@code arrow.bool8} elements are not all 0 or 1
     */
    public static Tensor toTensor(FixedShapeTensorVector vector, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(vector, "vector must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        if (!vector.type().metadata().isPermuted()) {
            return toStoredTensor(vector, backend, policy);
        }
        int[] permutation = vector.type().metadata().permutation().orElseThrow();
        if (policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException("column " + vector.getName() + " has permutation "
                    + Arrays.toString(permutation) + ": its logical tensors are the stored ones transposed, which "
                    + "takes a copy. Use CopyPolicy.IF_NEEDED to transpose into a new tensor, or "
                    + "ArrowImport.toStoredTensor to share the stored layout " + vector.storedRowShape());
        }
        int[] batchPermutation = new int[permutation.length + 1];
        for (int i = 0; i < permutation.length; i++) {
            batchPermutation[i + 1] = permutation[i] + 1;
        }
        // The stored tensor is only read: wrapped where the backend can, so that the copy is the transpose.
        try (Tensor stored = toStoredTensor(vector, backend, CopyPolicy.IF_NEEDED);
                HostArray storedHost = stored.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            return StridedCopy.of(storedHost.asByteBuffer(), stored.dtype(), stored.shape(), batchPermutation,
                    backend);
        }
    }

    /**
     * The column's tensors in their stored (physical) layout, of shape {@code [rows] +
     * vector.storedRowShape()}, whatever the permutation says: shared as the class comment describes,
     * without the transposing copy {@link #toTensor(FixedShapeTensorVector, Backend, CopyPolicy)} makes
     * for a permuted column. Apply the permutation yourself.
     *
     * @throws NullElementsException if the column has a null row or element
     * @throws org.tensorbridge.UnsupportedDTypeException if the elements have no tensor dtype
     * @throws CopyRequiredException under {@code NEVER} when the backend cannot wrap, or {@code arrow.bool8}
     *     elements are not all 0 or 1
     */
    public static Tensor toStoredTensor(FixedShapeTensorVector vector, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(vector, "vector must not be null");
        return toTensor(vector.getUnderlyingVector(), vector.storedRowShape(), backend, policy);
    }

    /**
     * A tensor of shape {@code [rows] + rowShape} over a plain fixed-size list column's memory, whose list
     * size must be {@code rowShape}'s element count.
     *
     * @throws ShapeMismatchException if the list size is not {@code rowShape}'s element count
     * @throws NullElementsException if the column has a null row or element
     * @throws org.tensorbridge.UnsupportedDTypeException if the elements have no tensor dtype
     */
    public static Tensor toTensor(FixedSizeListVector vector, Shape rowShape, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(vector, "vector must not be null");
        Objects.requireNonNull(rowShape, "rowShape must not be null; use Shape.scalar() for rows of one element");
        if (vector.getListSize() != rowShape.elementCount()) {
            throw new ShapeMismatchException("column " + vector.getName() + " has lists of " + vector.getListSize()
                    + " elements but row shape " + rowShape + " has " + rowShape.elementCount()
                    + "; give a row shape whose element count is the list size");
        }
        long nullRows = ValidityBits.nullCount(vector, vector.getName());
        if (nullRows > 0) {
            throw new NullElementsException("column " + vector.getName() + " has " + nullRows + " null rows (the "
                    + "first is row " + ValidityBits.firstNull(vector) + "); a tensor has no null, so fill or drop them "
                    + "in Arrow first");
        }
        // Elements that are not numbers (a string, a union, a nested list) have no tensor dtype: a tensor
        // column is refused for its element type, not as a plain column given by mistake (wrap's checks).
        ElementTypes.dtype(vector.getDataVector().getField().getType());
        long[] dims = new long[rowShape.rank() + 1];
        dims[0] = vector.getValueCount();
        System.arraycopy(rowShape.toArray(), 0, dims, 1, rowShape.rank());
        return wrap(vector.getDataVector(), Shape.of(dims), vector.getName(), backend, policy);
    }

    /**
     * A rank-1 tensor over a plain fixed-width column's memory (an {@code Int} or {@code FloatingPoint}
     * column), one element per row.
     *
     * @throws ArrowLayoutException if the column is not fixed-width
     * @throws NullElementsException if the column has a null
     */
    public static Tensor toTensor(FieldVector column, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(column, "column must not be null");
        return wrap(column, Shape.of(column.getValueCount()), column.getName(), backend, policy);
    }

    /**
     * A host array of the column's logical tensors, shape {@code [rows] + vector.rowShape()}:
     * {@code toTensor(...).toHost(policy, access)}, the tensor closed. Under {@code NEVER} and
     * {@code IF_NEEDED} on the CPU backend, for a column without a permutation, it aliases the Arrow memory
     * (reports {@code SHARED}, 0 bytes copied) and keeps it alive until closed; under {@code ALWAYS} it is
     * one independent copy. A permuted column is transposed into a new tensor and copied out of it: the
     * array reports {@code INDEPENDENT} and the bytes of that last copy; {@code NEVER} throws.
     */
    public static HostArray toHostArray(FixedShapeTensorVector vector, Backend backend, CopyPolicy policy,
            Access access) {
        Objects.requireNonNull(vector, "vector must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        if (vector.type().metadata().isPermuted()) {
            try (Tensor tensor = toTensor(vector, backend, policy)) {
                // The tensor is this call's own copy: the host array is copied out of it, so that it reports
                // what it is to the caller, a copy of the column.
                return tensor.toHost(CopyPolicy.ALWAYS, access);
            }
        }
        return toHostArray(vector.getUnderlyingVector(), vector.storedRowShape(), backend, policy, access);
    }

    /** {@link #toHostArray(FixedShapeTensorVector, Backend, CopyPolicy, Access)} for a plain fixed-size list column. */
    public static HostArray toHostArray(FixedSizeListVector vector, Shape rowShape, Backend backend, CopyPolicy policy,
            Access access) {
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        // ALWAYS copies once, in toHost; the tensor in between wraps when it can.
        CopyPolicy tensorPolicy = policy == CopyPolicy.ALWAYS ? CopyPolicy.IF_NEEDED : policy;
        try (Tensor tensor = toTensor(vector, rowShape, backend, tensorPolicy)) {
            return tensor.toHost(policy, access);
        }
    }

    private static Tensor wrap(FieldVector elements, Shape shape, String column, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(backend, "backend must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        if (elements instanceof FixedSizeListVector) {
            throw new ArrowLayoutException("column " + column + " is a FixedSizeList; give the shape of its rows: "
                    + "ArrowImport.toTensor(vector, rowShape, backend, policy)");
        }
        FieldVector storage = elements instanceof ExtensionTypeVector<?> extension ? extension.getUnderlyingVector()
                : elements;
        if (!(storage instanceof BaseFixedWidthVector)) {
            throw new ArrowLayoutException("column " + column + " holds " + elements.getField().getType()
                    + " elements, which are not fixed-width numbers; tensors need Int, FloatingPoint or arrow.bool8 "
                    + "elements");
        }
        DType dtype = ElementTypes.dtype(elements.getField().getType());
        long nullElements = ValidityBits.nullCount(elements, column);
        if (nullElements > 0) {
            throw new NullElementsException("column " + column + " has " + nullElements + " null elements (the first "
                    + "is element " + ValidityBits.firstNull(elements) + "); a tensor has no null, so fill them in Arrow "
                    + "first");
        }
        if (elements.getValueCount() < shape.elementCount()) {
            throw new ArrowLayoutException("column " + column + " has " + elements.getValueCount() + " elements but "
                    + shape + " needs " + shape.elementCount() + "; set the element vector's value count before "
                    + "converting");
        }
        long bytes = shape.elementCount() * dtype.byteWidth();
        ArrowBuf data = storage.getDataBuffer();
        if (data.capacity() < bytes) {
            throw new ArrowLayoutException("column " + column + " has a data buffer of " + data.capacity()
                    + " bytes but " + dtype.displayName() + shape + " needs " + bytes + "; the vector is inconsistent");
        }
        return elementsOver(data, 0, dtype, shape, column, backend, policy);
    }

    /** {@link #tensorOver}, except that {@code bool} elements go through {@link BoolBytes}. */
    static Tensor elementsOver(ArrowBuf data, long offset, DType dtype, Shape shape, String column, Backend backend,
            CopyPolicy policy) {
        return dtype == DType.BOOL ? BoolBytes.tensorOver(data, offset, shape, column, backend, policy)
                : tensorOver(data, offset, dtype, shape, backend, policy);
    }

    /**
     * A tensor of {@code dtype[shape]} over the bytes of {@code data} from {@code offset}, made with
     * {@code backend.fromBuffer(view, dtype, shape, policy, owner)}: the owner is a reference to the
     * buffer retained here, so a wrapping tensor (and every host array or view over it) keeps the Arrow
     * memory alive on its own; {@code fromBuffer} closes the reference when the last of them is closed,
     * or at once if it copied or failed. The caller checks that the bytes lie inside {@code data}.
     */
    static Tensor tensorOver(ArrowBuf data, long offset, DType dtype, Shape shape, Backend backend,
            CopyPolicy policy) {
        ArrowBufReference reference = ArrowBufReference.retain(data);
        ByteBuffer view;
        try {
            view = reference.view(offset, shape.elementCount() * dtype.byteWidth());
        } catch (RuntimeException | Error e) {
            reference.close();
            throw e;
        }
        return backend.fromBuffer(view, dtype, shape, policy, reference);
    }
}
