package org.tensorbridge.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The canonical extension type {@code arrow.bool8}, which Arrow Java 19 does not provide: booleans
 * stored one byte each in an {@code Int8} storage, 0 for false and anything else for true. It is the
 * Arrow type of {@code bool} tensor elements, which are one byte each too, so a {@code bool} tensor and
 * a column share memory as other dtypes do. pyarrow calls it {@code pa.bool8()}.
 *
 * <p>Registered with Arrow's {@link ExtensionTypeRegistry} by every entry point of this package
 * ({@link #ensureRegistered()}); its columns are {@link Bool8Vector}s. Immutable and thread-safe.
 */
public final class Bool8Type extends ArrowType.ExtensionType {
    /** The extension name the specification assigns. */
    public static final String EXTENSION_NAME = "arrow.bool8";

    /** The one instance: the type has no parameters. */
    public static final Bool8Type INSTANCE = new Bool8Type();

    private static final ArrowType.Int STORAGE = new ArrowType.Int(8, true);

    private Bool8Type() {
    }

    /**
     * Registers this type with Arrow's global registry unless it is registered already (replacing
     * another implementation under the same name). Idempotent and thread-safe.
     */
    public static void ensureRegistered() {
        if (!(ExtensionTypeRegistry.lookup(EXTENSION_NAME) instanceof Bool8Type)) {
            ExtensionTypeRegistry.register(INSTANCE);
        }
    }

    @Override
    public ArrowType storageType() {
        return STORAGE;
    }

    @Override
    public String extensionName() {
        return EXTENSION_NAME;
    }

    @Override
    public boolean extensionEquals(ExtensionType other) {
        return other instanceof Bool8Type;
    }

    /** The specification gives {@code arrow.bool8} no parameters: the metadata is empty. */
    @Override
    public String serialize() {
        return "";
    }

    /**
     * This type, as Arrow calls it when it reads a field named {@value #EXTENSION_NAME}.
     *
     * @throws InvalidTensorMetadataException if the storage is not {@code Int8}
     */
    @Override
    public ArrowType deserialize(ArrowType storageType, String serializedData) {
        if (!STORAGE.equals(storageType)) {
            throw new InvalidTensorMetadataException(InvalidTensorMetadataException.Rule.BOOL8_STORAGE_NOT_INT8,
                    "the storage type of an arrow.bool8 field is " + storageType + "; the specification stores it as "
                            + "Int8");
        }
        return INSTANCE;
    }

    @Override
    public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
        return new Bool8Vector(name, allocator,
                new TinyIntVector(name, new FieldType(fieldType.isNullable(), STORAGE, null), allocator));
    }

    @Override
    public int hashCode() {
        return EXTENSION_NAME.hashCode();
    }

    @Override
    public String toString() {
        return EXTENSION_NAME;
    }
}
