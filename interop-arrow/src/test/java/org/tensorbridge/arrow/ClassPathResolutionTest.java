package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.graph.FlatArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * backend-cpu (ND4J) and interop-arrow on one class path. Both use flatbuffers-java: ND4J 1.0.0-M2.1 asks
 * for 1.12.0, Arrow 19 for 25.2.10, and only one can be loaded. This module pins 25.2.10: Arrow's
 * generated code needs its newer runtime, while ND4J's 1.12-generated code links against 25.2.10 for
 * every method it calls except {@code Constants.FLATBUFFERS_1_12_0()}, which only its generated
 * {@code ValidateVersion()} methods call, and ND4J never calls those. These tests hold that in place.
 */
class ClassPathResolutionTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();

    @Test
    void exactlyOneFlatbuffersIsOnTheClassPathAndItIsArrows() throws Exception {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources(
                "META-INF/maven/com.google.flatbuffers/flatbuffers-java/pom.properties"));
        assertEquals(1, copies.size(), "flatbuffers-java copies on the class path: " + copies);
        Properties properties = new Properties();
        try (InputStream in = copies.get(0).openStream()) {
            properties.load(in);
        }
        assertEquals("25.2.10", properties.getProperty("version"));
    }

    @Test
    void nd4jsFlatBuffersSerialisationRunsOnFlatbuffers25() {
        INDArray original = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        FlatBufferBuilder builder = new FlatBufferBuilder(256);
        builder.finish(original.toFlatArray(builder));
        INDArray back = Nd4j.createFromFlatArray(FlatArray.getRootAsFlatArray(builder.dataBuffer()));
        assertEquals(original, back);
    }

    @Test
    void theOneIncompatibilityIsNd4jsUncalledVersionCheck() {
        // What would break if ND4J ever validated its schema version against the runtime.
        assertThrows(NoSuchMethodError.class, FlatArray::ValidateVersion);
    }

    @Test
    void aCpuTensorGoesToArrowAndBackWithoutACopy() throws Exception {
        try (Tensor tensor = cpu.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                Tensor imported = ArrowImport.toTensor(export.vector(), cpu, CopyPolicy.NEVER);
                Tensor doubled = imported.multiply(2f);
                Tensor reshaped = tensor.reshape(3, 2);
                Tensor product = imported.matmul(reshaped);
                HostArray twice = doubled.toHost();
                HostArray matrix = product.toHost()) {
            long address = TestMemory.address(tensor);
            assertEquals(address, export.vector().elements().getDataBuffer().memoryAddress());
            assertEquals(address, TestMemory.address(imported), "the imported tensor is the original memory");
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, twice.toFloatArray());
            assertArrayEquals(new float[] {22, 28, 49, 64}, matrix.toFloatArray());
        }
    }

    @Test
    void arrowIpcAndNd4jKernelsWorkInOneJvm() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (Tensor tensor = cpu.constant(new double[] {0.5, 1.5, 2.5, 3.5}, 2, 2);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()))) {
            TensorIpc.writeStream(root, stream);
        }
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream.toByteArray()),
                arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector("t");
            try (Tensor read = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER);
                    Tensor sum = read.add(read);
                    HostArray host = sum.toHost()) {
                assertArrayEquals(new double[] {1, 3, 5, 7}, host.toDoubleArray());
            }
        }
    }
}
