package org.tensorbridge.arrow;

import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.arrow.InvalidTensorMetadataException.Rule;

/**
 * The canonical extension type {@code arrow.fixed_shape_tensor}, which Arrow Java does not provide:
 * each value of a column is a tensor of one fixed {@link FixedShapeTensorMetadata#shape() shape},
 * stored as a {@code FixedSizeList<value_type>[product(shape)]} with the elements in row-major order.
 * The element type is the storage list's child field, so it travels in the {@link Field}, not in this
 * type: {@link #field} builds a complete one.
 *
 * <p>Arrow finds this type by name when it reads a schema (IPC files and streams, the C data interface)
 * once it is {@linkplain #ensureRegistered() registered} with {@link ExtensionTypeRegistry}; every entry
 * point of this package registers it. Reading metadata that breaks the specification throws
 * {@link InvalidTensorMetadataException} naming the rule. Columns of this type are
 * {@link FixedShapeTensorVector}s.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedShapeTensorType extends ArrowType.ExtensionType {
    /** The extension name the specification assigns. */
    public static final String EXTENSION_NAME = "arrow.fixed_shape_tensor";

    private final FixedShapeTensorMetadata metadata;
    private final ArrowType.FixedSizeList storage;

    private FixedShapeTensorType(FixedShapeTensorMetadata metadata) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.storage = new ArrowType.FixedSizeList(metadata.listSize());
    }

    /**
     * Registers this extension type with Arrow's global registry, unless it is registered already;
     * it replaces another implementation registered under the same name. Registers {@link Bool8Type}, the
     * element type of {@code bool} tensors, too. Idempotent and thread-safe.
     */
    public static void ensureRegistered() {
        Bool8Type.ensureRegistered();
        if (!(ExtensionTypeRegistry.lookup(EXTENSION_NAME) instanceof FixedShapeTensorType)) {
            ExtensionTypeRegistry.register(new FixedShapeTensorType(FixedShapeTensorMetadata.of(Shape.scalar())));
        }
    }

    /** The type of tensors of {@code shape}, without dimension names or permutation. */
    public static FixedShapeTensorType of(Shape shape) {
        return of(FixedShapeTensorMetadata.of(shape));
    }

    /** The type with these parameters. */
    public static FixedShapeTensorType of(FixedShapeTensorMetadata metadata) {
        ensureRegistered();
        return new FixedShapeTensorType(metadata);
    }

    /** The parameters: shape, and the optional dimension names and permutation. */
    public FixedShapeTensorMetadata metadata() {
        return metadata;
    }

    /** The shape of each tensor: {@code metadata().shape()}. */
    public Shape shape() {
        return metadata.shape();
    }

    /** A non-nullable field of this type with elements of {@code dtype}. */
    public Field field(String name, DType dtype) {
        return field(name, ElementTypes.arrowType(dtype), false);
    }

    /** A field of this type whose storage list holds {@code elementType} elements. */
    public Field field(String name, ArrowType elementType, boolean nullable) {
        Field element = new Field("item", new FieldType(false, elementType, null), null);
        return new Field(name, new FieldType(nullable, this, null), java.util.List.of(element));
    }

    @Override
    public ArrowType.FixedSizeList storageType() {
        return storage;
    }

    @Override
    public String extensionName() {
        return EXTENSION_NAME;
    }

    @Override
    public boolean extensionEquals(ExtensionType other) {
        return other instanceof FixedShapeTensorType t && metadata.equals(t.metadata);
    }

    @Override
    public String serialize() {
        return metadata.toJson();
    }

    /**
     * The type described by {@code serializedData} over {@code storageType}, as Arrow calls it when it
     * reads a field named {@value #EXTENSION_NAME}.
     *
     * @throws InvalidTensorMetadataException if the metadata or the storage breaks the specification
     */
    @Override
    public ArrowType deserialize(ArrowType storageType, String serializedData) {
        if (!(storageType instanceof ArrowType.FixedSizeList list)) {
            throw new InvalidTensorMetadataException(Rule.STORAGE_NOT_FIXED_SIZE_LIST, "the storage type is "
                    + storageType + "; arrow.fixed_shape_tensor is stored as FixedSizeList<value_type>[product(shape)]");
        }
        FixedShapeTensorMetadata parsed = FixedShapeTensorMetadata.parse(serializedData);
        if (list.getListSize() != parsed.listSize()) {
            throw new InvalidTensorMetadataException(Rule.LIST_SIZE_NOT_SHAPE_PRODUCT, "the storage list size is "
                    + list.getListSize() + " but shape " + parsed.shape() + " has " + parsed.listSize()
                    + " elements; the list size must be the product of the shape");
        }
        return new FixedShapeTensorType(parsed);
    }

    @Override
    public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
        return new FixedShapeTensorVector(name, fieldType, allocator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(EXTENSION_NAME, metadata);
    }

    /** {@code arrow.fixed_shape_tensor{"shape":[2,3]}}. */
    @Override
    public String toString() {
        return EXTENSION_NAME + metadata.toJson();
    }
}
