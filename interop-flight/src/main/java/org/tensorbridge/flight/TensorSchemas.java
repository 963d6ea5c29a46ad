package org.tensorbridge.flight;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.arrow.FixedShapeTensorType;
import org.tensorbridge.arrow.SparseBatchSchema;

/**
 * What a stream's schema holds, judged by its columns alone (never by a {@value FlightTensorInfo#KIND_KEY}
 * that a sender wrote): interop-arrow's sparse layout, one {@code arrow.fixed_shape_tensor} column, or a
 * table. Stateless and thread-safe.
 */
final class TensorSchemas {
    private TensorSchemas() {
    }

    /** The kind of the record batches of {@code schema}. */
    static TensorKind classify(Schema schema) {
        Map<String, String> metadata = schema.getCustomMetadata();
        List<Field> fields = schema.getFields();
        if (metadata != null && metadata.containsKey(SparseBatchSchema.DENSE_SHAPE_KEY) && fields.size() == 2
                && fields.get(0).getName().equals(SparseBatchSchema.INDICES)
                && fields.get(1).getName().equals(SparseBatchSchema.VALUES)) {
            return TensorKind.SPARSE;
        }
        if (fields.size() == 1 && fields.get(0).getType() instanceof FixedShapeTensorType) {
            return TensorKind.DENSE;
        }
        return TensorKind.TABLE;
    }

    /** The tensor column of a dense schema. */
    static FixedShapeTensorType denseType(Schema schema) {
        return (FixedShapeTensorType) schema.getFields().get(0).getType();
    }
}
