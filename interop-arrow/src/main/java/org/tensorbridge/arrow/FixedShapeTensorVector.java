package org.tensorbridge.arrow;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.hash.ArrowBufHasher;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ZeroVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * A column of {@link FixedShapeTensorType arrow.fixed_shape_tensor} values: a
 * {@link FixedSizeListVector} (the storage, {@link #getUnderlyingVector()}) whose row {@code i} holds a
 * tensor of the type's stored shape ({@link #storedRowShape()}), elements in row-major order. With a
 * permutation in the type's metadata, the logical tensor of a row, what {@link #row}, {@link #getObject}
 * and {@code toString} give (and pyarrow's {@code to_numpy_ndarray()}), is the stored one transposed, of
 * shape {@link #rowShape()}.
 *
 * <h2>Rows as host arrays</h2>
 * {@link #row(int, Backend, Access)} gives row {@code i} as a {@link HostArray} of the row's shape,
 * made through a backend as {@link ArrowImport} makes whole columns: a tensor over the row's bytes
 * ({@link Backend#fromBuffer(ByteBuffer, DType, Shape, CopyPolicy, AutoCloseable)}) and that tensor's
 * {@code toHost}.
 * <ul>
 *   <li>On a backend that {@linkplain org.tensorbridge.BackendCapabilities#wrapsHostBuffers() wraps host
 *       buffers} (the CPU backend) the row <em>shares</em> the column's memory: it reports
 *       {@link Sharing#SHARED} and 0 bytes copied, and holds a reference to the Arrow buffer, so it stays
 *       valid after this vector is closed and must itself be closed (until then the allocator counts the
 *       memory, and closing the allocator fails). It is read-only unless {@link Access#WRITABLE} is asked
 *       for, in which case writes reach the column.</li>
 *   <li>On a backend that cannot wrap (a GPU backend) the row is a copy, and says so: it reports
 *       {@link Sharing#INDEPENDENT} and the bytes copied, holds no Arrow memory, and writes to it never
 *       reach the column.</li>
 * </ul>
 * {@link #getObject(int)}, which Arrow calls for {@code toString} and the like, needs no backend: it
 * gives a Java array copy of the row that holds no Arrow memory.
 *
 * <p>Rows with nulls have no tensor: {@code row} throws {@link NullElementsException} and
 * {@code getObject} returns null for a row that is null or holds a null element.
 *
 * <p>Like every Arrow vector, not thread-safe for writes; host arrays taken from it are thread-safe
 * as {@link HostArray} describes.
 */
public final class FixedShapeTensorVector extends ExtensionTypeVector<FixedSizeListVector> {
    private final FieldType fieldType;
    private final FixedShapeTensorType type;

    /**
     * An empty column; Arrow creates these through {@link FixedShapeTensorType#getNewVector}, and
     * {@link Field#createVector} adds the element child. Prefer {@link #create}.
     *
     * @throws ArrowLayoutException if {@code fieldType}'s type is not a {@link FixedShapeTensorType}
     */
    public FixedShapeTensorVector(String name, FieldType fieldType, BufferAllocator allocator) {
        super(name, allocator, new FixedSizeListVector(name, allocator, storageFieldType(fieldType), null));
        this.fieldType = fieldType;
        this.type = (FixedShapeTensorType) fieldType.getType();
    }

    /** An empty, non-nullable column of {@code type} with {@code dtype} elements, child included. */
    public static FixedShapeTensorVector create(String name, FixedShapeTensorType type, DType dtype,
            BufferAllocator allocator) {
        return (FixedShapeTensorVector) type.field(name, dtype).createVector(allocator);
    }

    private static FieldType storageFieldType(FieldType fieldType) {
        Objects.requireNonNull(fieldType, "fieldType");
        if (!(fieldType.getType() instanceof FixedShapeTensorType tensorType)) {
            throw new ArrowLayoutException("fieldType has type " + fieldType.getType() + "; a "
                    + "FixedShapeTensorVector needs a FixedShapeTensorType");
        }
        return new FieldType(fieldType.isNullable(), tensorType.storageType(), fieldType.getDictionary(), null);
    }

    /** The column's extension type. */
    public FixedShapeTensorType type() {
        return type;
    }

    /**
     * The logical shape of every row: the stored shape with the permutation applied
     * ({@link FixedShapeTensorMetadata#logicalShape()}); the stored shape when there is none.
     */
    public Shape rowShape() {
        return type.metadata().logicalShape();
    }

    /** The shape every row is stored in (row-major): the type's {@code shape}. */
    public Shape storedRowShape() {
        return type.shape();
    }

    /**
     * The element dtype, from the storage list's child.
     *
     * @throws ArrowLayoutException if the column has no element child yet
     * @throws org.tensorbridge.UnsupportedDTypeException if the element type has no tensor dtype
     */
    public DType dtype() {
        return ElementTypes.dtype(elements().getField().getType());
    }

    /** The data buffer of the element vector (of its storage, for extension elements such as arrow.bool8). */
    private org.apache.arrow.memory.ArrowBuf elementData() {
        FieldVector elements = elements();
        return elements instanceof ExtensionTypeVector<?> extension ? extension.getUnderlyingVector().getDataBuffer()
                : elements.getDataBuffer();
    }

    /** The storage list's child vector, which holds every element of every row. */
    FieldVector elements() {
        FieldVector child = getUnderlyingVector().getDataVector();
        if (child instanceof ZeroVector) {
            throw new ArrowLayoutException("column " + getName() + " has no element vector yet; create it with "
                    + "FixedShapeTensorVector.create or from a Field that has the element child");
        }
        return child;
    }

    /** {@code row(index, backend, Access.READ_ONLY)}. */
    public HostArray row(int index, Backend backend) {
        return row(index, backend, Access.READ_ONLY);
    }

    /**
     * Row {@code index} as a host array of {@link #rowShape()}, its logical tensor; the caller closes it.
     * On a backend that wraps host buffers (the CPU backend) it is a view of this column's memory, without
     * a copy, that keeps the memory alive until closed; on one that cannot wrap, and for a permuted
     * column (the row transposed) or {@code arrow.bool8} bytes other than 0 and 1, it is a reported copy
     * (see the class comment).
     *
     * @throws IndexOutOfBoundsException if {@code index} is not a row
     * @throws NullElementsException if the row is null or holds a null element
     * @throws org.tensorbridge.UnsupportedDTypeException if the elements have no tensor dtype, or the
     *     backend lacks it
     */
    public HostArray row(int index, Backend backend, Access access) {
        Objects.requireNonNull(backend, "backend must not be null; the CPU backend (Backends.get(\"cpu\")) shares "
                + "the column's memory");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        requireRow(index);
        requireNoNulls(index);
        DType dtype = dtype();
        long rowBytes = (long) type.metadata().listSize() * dtype.byteWidth();
        // A backend that cannot wrap copies in fromBuffer, so no host array can share the column: ALWAYS makes
        // that a reported copy, never a "shared" view of the backend's private copy.
        CopyPolicy hostPolicy = backend.capabilities().wrapsHostBuffers() ? CopyPolicy.IF_NEEDED : CopyPolicy.ALWAYS;
        try (Tensor tensor = ArrowImport.elementsOver(elementData(), index * rowBytes, dtype, storedRowShape(),
                getName(), backend, CopyPolicy.IF_NEEDED)) {
            if (type.metadata().isPermuted()) {
                try (HostArray stored = tensor.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY);
                        Tensor transposed = StridedCopy.of(stored.asByteBuffer(), dtype, storedRowShape(),
                                type.metadata().permutation().orElseThrow(), backend)) {
                    return transposed.toHost(CopyPolicy.ALWAYS, access);
                }
            }
            // The host array holds the memory (and the reference to the Arrow buffer) on its own.
            return tensor.toHost(hostPolicy, access);
        }
    }

    /**
     * A copy of row {@code index}'s logical tensor as a flat Java array in row-major order over
     * {@link #rowShape()}, or null if the row is null or holds a null element. The array holds no Arrow
     * memory and never sees later writes to the column. Its type follows the dtype: {@code boolean[]} for
     * {@code bool}, {@code byte[]} for {@code int8} and {@code uint8} (raw bytes: mask {@code uint8} values
     * with {@code 0xff}), {@code short[]} for {@code int16}, {@code int[]} for {@code int32}, {@code long[]}
     * for {@code int64}, {@code float[]} for {@code float16} (widened) and {@code float32}, {@code double[]}
     * for {@code float64}. For a view instead of a copy, use {@link #row(int, Backend, Access)}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not a row
     */
    @Override
    public Object getObject(int index) {
        requireRow(index);
        if (nullsIn(index) > 0) {
            return null;
        }
        DType dtype = dtype();
        int size = type.metadata().listSize();
        long rowBytes = (long) size * dtype.byteWidth();
        try (ArrowBufReference reference = ArrowBufReference.retain(elementData())) {
            ByteBuffer row = reference.view(index * rowBytes, rowBytes);
            if (type.metadata().isPermuted()) {
                row = StridedCopy.transposed(row, dtype, storedRowShape(), type.metadata().permutation().orElseThrow());
            }
            return copy(row, dtype, size);
        }
    }

    private static Object copy(ByteBuffer row, DType dtype, int size) {
        return switch (dtype) {
            case INT8, UINT8 -> filled(new byte[size], row::get);
            case INT16 -> filled(new short[size], row.asShortBuffer()::get);
            case INT32 -> filled(new int[size], row.asIntBuffer()::get);
            case INT64 -> filled(new long[size], row.asLongBuffer()::get);
            case FLOAT32 -> filled(new float[size], row.asFloatBuffer()::get);
            case FLOAT64 -> filled(new double[size], row.asDoubleBuffer()::get);
            case FLOAT16 -> filled(new float[size], out -> {
                for (int i = 0; i < size; i++) {
                    out[i] = Float16.toFloat(row.getShort(i * 2));
                }
            });
            case BOOL -> {
                boolean[] out = new boolean[size];
                for (int i = 0; i < size; i++) {
                    out[i] = row.get(i) != 0;
                }
                yield out;
            }
            case BFLOAT16 -> throw new UnsupportedDTypeException("bfloat16 has no Arrow element type, so no column "
                    + "holds it");
        };
    }

    private static <A> A filled(A array, Consumer<A> fill) {
        fill.accept(array);
        return array;
    }

    /** The rows as {@link #getObject(int)} gives them, each nested to the row shape: {@code [[[0, 1], [2, 3]], null]}. */
    @Override
    public String toString() {
        return ValueVectorUtility.getToString(this, 0, getValueCount(), (vector, i) -> format(vector.getObject(i)));
    }

    private String format(Object row) {
        if (row == null) {
            return "null";
        }
        StringBuilder text = new StringBuilder();
        format(text, row, dtype() == DType.UINT8, rowShape(), 0, 0);
        return text.toString();
    }

    private static void format(StringBuilder text, Object row, boolean unsigned, Shape shape, int axis, int linear) {
        if (axis == shape.rank()) {
            Object value = Array.get(row, linear);
            text.append(unsigned ? Integer.valueOf((Byte) value & 0xff) : value);
            return;
        }
        int stride = (int) shape.contiguousStrides()[axis];
        text.append('[');
        for (int i = 0; i < shape.dim(axis); i++) {
            if (i > 0) {
                text.append(", ");
            }
            format(text, row, unsigned, shape, axis + 1, linear + i * stride);
        }
        text.append(']');
    }

    private void requireRow(int index) {
        if (index < 0 || index >= getValueCount()) {
            throw new IndexOutOfBoundsException("row " + index + " of column " + getName() + ", which has "
                    + getValueCount() + " rows; use 0 to " + (getValueCount() - 1));
        }
    }

    private void requireNoNulls(int index) {
        if (getUnderlyingVector().isNull(index)) {
            throw new NullElementsException("row " + index + " of column " + getName() + " is null; a tensor has no "
                    + "null, so fill the row in Arrow first");
        }
        long nulls = nullsIn(index);
        if (nulls > 0) {
            throw new NullElementsException("row " + index + " of column " + getName() + " holds " + nulls
                    + " null elements; a tensor has no null, so fill them in Arrow first");
        }
    }

    private long nullsIn(int index) {
        if (getUnderlyingVector().isNull(index)) {
            return 1;
        }
        long size = type.metadata().listSize();
        return ValidityBits.nulls(elements().getValidityBuffer(), index * size, (index + 1) * size, getName());
    }

    /** The field of the extension type, with the storage list's element child. */
    @Override
    public Field getField() {
        List<Field> children = getUnderlyingVector().getField().getChildren();
        return new Field(getName(), fieldType, children);
    }

    @Override
    public int hashCode(int index) {
        return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, ArrowBufHasher hasher) {
        return getUnderlyingVector().hashCode(index, hasher);
    }
}
