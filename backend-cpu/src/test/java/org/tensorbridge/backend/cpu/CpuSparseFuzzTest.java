package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.DenseSizeLimitException;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Sparse constructors fed arbitrary indices, values and dense shapes: each call gives a valid sparse
 * tensor (whose coalesce, transpose, sum and dense form then work) or a documented exception, and
 * leaves no memory behind. In {@code ./mvnw verify} this runs over the committed corpus; to fuzz for
 * 60 s: {@code JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.tensorbridge.**' ./mvnw -pl backend-cpu test
 * -Dtest=CpuSparseFuzzTest} (without the includes Jazzer instruments only this module's classes, not
 * the spi's checks and kernels: 131 edges instead of 689).
 */
class CpuSparseFuzzTest {
    private static final Backend CPU = Backends.get("cpu");

    @FuzzTest(maxDuration = "60s")
    void sparseConstructorsGiveATensorOrADocumentedException(FuzzedDataProvider data) {
        long before = ((AbstractBackend) CPU).ledger().liveBlocks();
        int rank = data.consumeInt(1, 3);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = data.consumeLong(-2, 6);
        }
        int nnz = data.consumeInt(0, 12);
        long[][] indices = new long[nnz][];
        for (int i = 0; i < nnz; i++) {
            indices[i] = new long[data.consumeBoolean() ? rank : data.consumeInt(0, 4)];
            for (int d = 0; d < indices[i].length; d++) {
                indices[i][d] = data.consumeLong(-3, 8);
            }
        }
        float[] values = new float[data.consumeBoolean() ? nnz : data.consumeInt(0, 14)];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.consumeFloat();
        }
        boolean csr = data.consumeBoolean();
        try (SparseTensor tensor = csr && rank == 2
                ? CPU.sparseCsr(data.consumeLongs(data.consumeInt(0, 8)), data.consumeLongs(values.length), values,
                        shape[0], shape[1])
                : CPU.sparseCoo(indices, values, shape)) {
            exercise(tensor, data.consumeLong(-1, 400));
        } catch (IndexOutOfBoundsException | ShapeMismatchException | DTypeMismatchException
                | DenseSizeLimitException documented) {
            // Documented refusals: an index outside the shape, parts that do not fit, a limit too small.
        } catch (IllegalArgumentException documented) {
            // A negative dimension, an inconsistent indptr or a negative limit, named in the message.
        }
        assertEquals(before, ((AbstractBackend) CPU).ledger().liveBlocks(), "a call left memory behind");
    }

    private static void exercise(SparseTensor tensor, long maxElements) {
        try (SparseTensor coalesced = tensor.coalesce(); SparseValue value = coalesced.toSparseValue();
                Tensor sum = tensor.sum(0)) {
            assertEquals(coalesced.nnz(), value.nnz(), "nnz of the sparse value");
            if (tensor.denseShape().rank() == 2) {
                tensor.transpose().close();
                value.toCsr().close();
            }
            tensor.toDense(maxElements).close();
        }
    }
}
