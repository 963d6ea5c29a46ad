package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Any bytes given to {@link TensorMessage#read} and {@link SparseTensorMessage#read} (from a heap buffer,
 * a direct buffer and a stream) either give a tensor whose every element is readable, or are refused with
 * {@link MalformedIpcException}, {@link UnsupportedDTypeException} (values without a dtype) or
 * {@link ArrowLayoutException} (a CSF index); any other exception is a finding. After every input the CPU
 * backend's memory is back where it was.
 *
 * <p>{@code ./mvnw verify} runs it over the committed corpus ({@code src/test/resources/org/tensorbridge/
 * arrow/TensorMessageFuzzTestInputs/messageReadsOrIsRefused/}: pyarrow's messages, cut and with a byte flipped
 * in each quarter). To fuzz it for its {@code maxDuration}, as {@link TensorIpcFuzzTest} says, with
 * {@code -Dtest=TensorMessageFuzzTest}.
 */
class TensorMessageFuzzTest {
    private static final Backend CPU = TestMemory.cpu();

    @FuzzTest(maxDuration = "5m")
    void messageReadsOrIsRefused(byte[] bytes) {
        long liveBefore = TestMemory.liveBytes(CPU);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.wrap(bytes), direct}) {
            readOrRefuse(() -> TensorMessage.read(buffer, CPU, CopyPolicy.IF_NEEDED));
            readOrRefuseSparse(() -> SparseTensorMessage.read(buffer, CPU));
        }
        readOrRefuse(() -> TensorMessage.read(Channels.newChannel(new ByteArrayInputStream(bytes)), CPU));
        readOrRefuseSparse(() -> SparseTensorMessage.read(Channels.newChannel(new ByteArrayInputStream(bytes)), CPU));
        assertEquals(liveBefore, TestMemory.liveBytes(CPU), "backend memory left open");
    }

    interface Read<T> {
        T read() throws IOException;
    }

    private static void readOrRefuse(Read<Tensor> read) {
        try (Tensor tensor = read.read(); HostArray host = tensor.toHost()) {
            host.convertToDoubleArray();
        } catch (MalformedIpcException | UnsupportedDTypeException | ArrowLayoutException documented) {
            // a documented refusal
        } catch (IOException e) {
            throw new AssertionError("an undocumented IOException", e);
        }
    }

    private static void readOrRefuseSparse(Read<SparseTensor> read) {
        try (SparseTensor tensor = read.read(); SparseValue value = tensor.toSparseValue()) {
            value.indices().toLongArray();
            value.values().convertToDoubleArray();
        } catch (MalformedIpcException | UnsupportedDTypeException | ArrowLayoutException documented) {
            // a documented refusal
        } catch (IOException e) {
            throw new AssertionError("an undocumented IOException", e);
        }
    }
}
