package org.tensorbridge.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.hash.ArrowBufHasher;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A column of {@link Bool8Type arrow.bool8} values over its {@code Int8} storage
 * ({@link #getUnderlyingVector()}); {@link #getObject(int)} reads a value as a {@link Boolean}. Not
 * thread-safe for writes, like every Arrow vector.
 */
public final class Bool8Vector extends ExtensionTypeVector<TinyIntVector> {
    /** A column named {@code name} over {@code storage}, which it owns from now on. */
    public Bool8Vector(String name, BufferAllocator allocator, TinyIntVector storage) {
        super(name, allocator, storage);
    }

    /** The value at {@code index}: null, or whether its byte is not 0. */
    @Override
    public Boolean getObject(int index) {
        return getUnderlyingVector().isNull(index) ? null : getUnderlyingVector().get(index) != 0;
    }

    @Override
    public int hashCode(int index) {
        return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, ArrowBufHasher hasher) {
        return getUnderlyingVector().hashCode(index, hasher);
    }

    /** The extension field, with {@link Bool8Type} as its type. */
    @Override
    public Field getField() {
        Field storage = getUnderlyingVector().getField();
        return new Field(getName(), new FieldType(storage.isNullable(), Bool8Type.INSTANCE, null, storage.getMetadata()),
                null);
    }
}
