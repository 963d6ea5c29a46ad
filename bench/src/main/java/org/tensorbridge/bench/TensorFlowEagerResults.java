package org.tensorbridge.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.EagerSession;
import org.tensorflow.Operation;
import org.tensorflow.op.Op;

/**
 * Frees the outputs of an eager TensorFlow Java operation at once, for the benchmarks.
 *
 * <p>TensorFlow Java 1.1.0 attaches every eager output to its {@link EagerSession} and frees it only
 * when the session closes or the garbage collector finds the handle unreachable, so a loop of large
 * eager operations grows native memory by gigabytes between collections. Its public API cannot free
 * one result; this class detaches the result's native handles from the session through TensorFlow's
 * package-private {@code AbstractOperation.getUnsafeNativeHandle} and {@code EagerSession.detach},
 * which drops their last reference and deletes them. That gives TensorFlow its best case (memory
 * reused at once), not a penalty. It needs TensorFlow Java on the class path, as the bench runs it.
 *
 * <p>Thread-safe.
 */
final class TensorFlowEagerResults {
    private static final MethodHandle OUTPUT_HANDLE;
    private static final MethodHandle DETACH;

    static {
        try {
            Method handle = Class.forName("org.tensorflow.AbstractOperation")
                    .getDeclaredMethod("getUnsafeNativeHandle", int.class);
            handle.setAccessible(true);
            Method detach = EagerSession.class.getDeclaredMethod("detach", Pointer[].class);
            detach.setAccessible(true);
            OUTPUT_HANDLE = MethodHandles.lookup().unreflect(handle);
            DETACH = MethodHandles.lookup().unreflect(detach);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("cannot reach TensorFlow Java's eager output handles (written "
                    + "against 1.1.0, on the class path): " + e);
        }
    }

    private TensorFlowEagerResults() {
    }

    /**
     * Frees every output of {@code op}, which must come from an eager session; its outputs must not be
     * used afterwards.
     *
     * @throws IllegalArgumentException if {@code op} does not run in an eager session
     */
    static void free(Op op) {
        Operation operation = op.op();
        if (!(operation.env() instanceof EagerSession session)) {
            throw new IllegalArgumentException(op + " is not an eager operation; only eager results are freed here");
        }
        try {
            for (int i = 0; i < operation.numOutputs(); i++) {
                Pointer output = (Pointer) OUTPUT_HANDLE.invoke(operation, i);
                DETACH.invoke(session, new Pointer[] {output});
            }
        } catch (Throwable e) {
            throw new IllegalStateException("freeing the outputs of " + op + " failed", e);
        }
    }
}
