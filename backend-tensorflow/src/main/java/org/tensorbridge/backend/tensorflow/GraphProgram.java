package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FinishOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetAttrType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_OperationDescription;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * TensorFlow operations added to a TensorFlow graph, named {@code n1}, {@code n2}, ... in the order they are
 * added. Thread-safe: TensorFlow locks its graph while an operation is added.
 */
final class GraphProgram extends TfProgram<TF_Output> {
    private final TF_Graph graph;
    private final AtomicInteger count = new AtomicInteger();

    GraphProgram(TF_Graph graph) {
        this.graph = graph;
    }

    /** How many operations have been added: the last one is {@code "n" + count()}. */
    int count() {
        return count.get();
    }

    @Override
    List<TF_Output> run(String type, int outputs, Object[] attributes, List<TF_Output> inputs) {
        TF_OperationDescription description = TF_NewOperation(graph, type, "n" + count.incrementAndGet());
        inputs.forEach(input -> TF_AddInput(description, input));
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] instanceof Boolean flag) {
                TF_SetAttrBool(description, (String) attributes[i], (byte) (flag ? 1 : 0));
            } else {
                TF_SetAttrType(description, (String) attributes[i], (Integer) attributes[i + 1]);
            }
        }
        return finish(description, type, outputs, null);
    }

    @Override
    TF_Output constant(TF_Tensor tensor) {
        TF_OperationDescription description = TF_NewOperation(graph, "Const", "n" + count.incrementAndGet());
        TF_SetAttrType(description, "dtype", TF_TensorType(tensor));
        return finish(description, "Const", 1, tensor).get(0);
    }

    private static List<TF_Output> finish(TF_OperationDescription description, String type, int outputs,
            TF_Tensor value) {
        TF_Status status = TF_NewStatus();
        try {
            if (value != null) {
                TF_SetAttrTensor(description, "value", value, status);
                Tf.check(status, "a constant");
            }
            TF_Operation operation = TF_FinishOperation(description, status);
            Tf.check(status, "adding " + type + " to a graph");
            List<TF_Output> out = new ArrayList<>(outputs);
            for (int i = 0; i < outputs; i++) {
                out.add(new TF_Output().oper(operation).index(i));
            }
            return out;
        } finally {
            TF_DeleteStatus(status);
        }
    }
}
