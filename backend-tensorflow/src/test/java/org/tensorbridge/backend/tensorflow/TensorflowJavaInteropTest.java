package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorflow.EagerSession;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/** TensorFlow Java's tensors and this backend's, each way without a copy, each side closing its own. */
class TensorflowJavaInteropTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks(), "both directions release tensorbridge's memory");
    }

    /** The address of a TensorFlow Java tensor's memory, as TensorFlow Java's own buffers give it. */
    private static long address(TType tensor) {
        return tensor.asRawTensor().data().accept(new DataStorageVisitor<Long>() {
            @Override
            public Long visit(long address, long length, long scale) {
                return address;
            }

            @Override
            public Long fallback() {
                throw new AssertionError("TensorFlow Java's buffer is not over native memory");
            }
        });
    }

    private static long address(HostArray host) {
        return new Pointer(host.asByteBuffer()).address();
    }

    @Test
    void aModelsTensorBecomesATensorbridgeTensorWithoutACopy() {
        Tensor ours;
        try (TFloat32 theirs = TFloat32.vectorOf(1, 2, 3)) {
            ours = TensorflowTensors.fromTensorFlow(BACKEND, theirs);
            try (HostArray view = ours.toHost(CopyPolicy.NEVER)) {
                assertEquals(Sharing.SHARED, view.sharing());
                assertEquals(0, view.bytesCopied());
                assertEquals(address(theirs), address(view), "the host array is TensorFlow's memory");
                theirs.setFloat(10, 0);
                assertEquals(10f, view.getFloat(0), "a write through TensorFlow Java shows in the host array");
            }
        }
        try (ours; HostArray after = ours.toHost()) {
            assertArrayEquals(new float[] {10, 2, 3}, after.toFloatArray(),
                    "closing TensorFlow Java's tensor leaves ours readable: each holds the buffer");
        }
    }

    @Test
    void anEagerResultOutlivesItsSession() {
        Tensor ours;
        try (EagerSession session = EagerSession.create()) {
            Ops tf = Ops.create(session);
            TFloat32 sum = tf.math.add(tf.constant(new float[] {1, 2}), tf.constant(new float[] {3, 4})).asTensor();
            ours = TensorflowTensors.fromTensorFlow(BACKEND, sum);
        }
        try (ours; HostArray host = ours.toHost()) {
            assertArrayEquals(new float[] {4, 6}, host.toFloatArray());
        }
    }

    @Test
    void oursBecomesATensorflowJavaTensorThatASessionReads() {
        long live = BACKEND.ledger().liveBlocks();
        TType theirs;
        try (Tensor ours = BACKEND.constant(new float[] {1, 2, 3}, 3);
                HostArray view = ours.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
            theirs = TensorflowTensors.toTensorFlow(ours);
            TFloat32 floats = assertInstanceOf(TFloat32.class, theirs);
            assertEquals(address(view), address(floats), "TensorFlow Java's tensor is our memory");
            view.setFloat(5, 0);
            assertEquals(5f, floats.getFloat(0), "a write through the host array shows in TensorFlow Java's tensor");
        }
        try (theirs; Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
            try (Result result = session.runner().feed(x, theirs).fetch(tf.math.mul(x, tf.constant(2f))).run()) {
                TFloat32 doubled = (TFloat32) result.get(0);
                assertArrayEquals(new float[] {10, 4, 6}, new float[] {doubled.getFloat(0), doubled.getFloat(1),
                    doubled.getFloat(2)}, "TensorFlow Java read our memory after our tensor was closed");
            }
        }
        assertEquals(live, BACKEND.ledger().liveBlocks(), "closing TensorFlow Java's tensor released our memory");
    }

    @Test
    void aDtypeWithoutATensorbridgeTwinIsRefused() {
        try (TString text = TString.scalarOf("x")) {
            UnsupportedDTypeException e = assertThrows(UnsupportedDTypeException.class,
                    () -> TensorflowTensors.fromTensorFlow(BACKEND, text));
            assertEquals("TB-DTYPE-UNSUPPORTED", e.code());
        }
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(1))) {
            assertThrows(IllegalArgumentException.class, () -> TensorflowTensors.fromTensorFlow(
                    org.tensorbridge.Backends.get("reference"), t));
        }
    }
}
