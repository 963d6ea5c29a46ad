package org.tensorbridge.flight;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowImport;
import org.tensorbridge.arrow.ArrowLayoutException;
import org.tensorbridge.arrow.FixedShapeTensorVector;
import org.tensorbridge.arrow.MalformedIpcException;
import org.tensorbridge.arrow.SparseImport;
import org.tensorbridge.arrow.TensorIpc;

/**
 * Every batch of every endpoint of a {@code FlightInfo}, as Flight received them: each batch holds
 * references to the buffers Flight allocated from the client's allocator (no copy), checked with
 * interop-arrow's batch validation as it arrives. Dense and sparse tensors are imported from them through
 * interop-arrow, which keeps the buffers alive for as long as the tensor ({@link ArrowImport}: the tensor
 * holds a reference to the Arrow buffer). Closing this releases the batches' own references. Not
 * thread-safe.
 */
final class ReceivedStream implements AutoCloseable {
    private final BufferAllocator allocator;
    private final Schema schema;
    private final List<ArrowRecordBatch> batches;

    private ReceivedStream(BufferAllocator allocator, Schema schema, List<ArrowRecordBatch> batches) {
        this.allocator = allocator;
        this.schema = schema;
        this.batches = batches;
    }

    /** Reads every endpoint's stream over {@code flight} (endpoints on other servers are read here too). */
    static ReceivedStream read(FlightClient flight, FlightInfo info, BufferAllocator allocator,
            CallOption... options) {
        List<ArrowRecordBatch> batches = new ArrayList<>();
        Schema schema = info.getSchemaOptional().orElse(null);
        boolean done = false;
        try {
            for (FlightEndpoint endpoint : info.getEndpoints()) {
                try (FlightStream stream = flight.getStream(endpoint.getTicket(), options)) {
                    VectorSchemaRoot root = stream.getRoot();
                    schema = root.getSchema();
                    while (stream.next()) {
                        validate(root, batches.size());
                        batches.add(ownedBy(allocator, new VectorUnloader(root).getRecordBatch()));
                    }
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("closing the Flight stream failed: " + e, e);
                }
            }
            if (schema == null) {
                throw new ArrowLayoutException("the server sent no schema for " + FlightTensorInfo.of(info).name());
            }
            done = true;
            return new ReceivedStream(allocator, schema, batches);
        } finally {
            if (!done) {
                batches.forEach(ArrowRecordBatch::close);
            }
        }
    }

    /**
     * {@code batch} with its buffers accounted to {@code allocator}, moving no bytes. Flight receives into a child
     * allocator of its own, which {@code FlightClient.close()} closes: buffers left in it by tensors that outlive
     * the client would make that close fail as a leak.
     */
    private static ArrowRecordBatch ownedBy(BufferAllocator allocator, ArrowRecordBatch batch) {
        try (batch) {
            List<ArrowBuf> moved = new ArrayList<>(batch.getBuffers().size());
            try {
                for (ArrowBuf buffer : batch.getBuffers()) {
                    moved.add(buffer.getReferenceManager().transferOwnership(buffer, allocator).getTransferredBuffer());
                }
                // The new batch takes references of its own; the transferred buffers' are released below. Whether
                // the allocator's limit fits them does not matter: the child's bytes already count in its parent.
                return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), moved);
            } finally {
                moved.forEach(ArrowBuf::close);
            }
        }
    }

    private static void validate(VectorSchemaRoot root, int index) {
        try {
            TensorIpc.validate(root);
        } catch (MalformedIpcException e) {
            throw new ArrowLayoutException("the server sent a malformed batch " + index + ": " + e.getMessage(), e);
        }
    }

    Schema schema() {
        return schema;
    }

    int batchCount() {
        return batches.size();
    }

    /**
     * The dense tensor the batches hold: over the received buffer when there is one batch and the backend wraps
     * host memory, else a copy (which {@code NEVER} refuses). See {@link FetchedTensor}.
     */
    FetchedTensor dense(FlightTensorInfo info, Backend backend, CopyPolicy policy) {
        if (batches.size() != 1 && policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException(info.name() + " arrived in " + batches.size() + " batches, and one tensor "
                    + "of them takes a copy; use CopyPolicy.IF_NEEDED, or have the server send it in one batch (it "
                    + "caps a batch at its maxMessageBytes, tensorbridge serve --max-message-bytes)");
        }
        try (VectorSchemaRoot root = oneRoot()) {
            FixedShapeTensorVector column = (FixedShapeTensorVector) root.getVector(0);
            Tensor tensor = ArrowImport.toTensor(column, backend, policy);
            boolean shared = batches.size() == 1 && isOver(tensor, column);
            long bytes = tensor.shape().elementCount() * tensor.dtype().byteWidth();
            return new FetchedTensor(tensor, shared ? Sharing.SHARED : Sharing.INDEPENDENT, shared ? 0 : bytes, info);
        }
    }

    /** The sparse tensor the batches hold, shared as {@link SparseImport} shares one batch. */
    SparseTensor sparse(String name, Backend backend, CopyPolicy policy) {
        if (batches.size() != 1 && policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException(name + " arrived in " + batches.size() + " batches, and one sparse tensor "
                    + "of them takes a copy; use CopyPolicy.IF_NEEDED");
        }
        try (VectorSchemaRoot root = oneRoot()) {
            return SparseImport.toSparseTensor(root, backend, policy);
        }
    }

    /** The one batch over the received buffers, or the batches joined into one root (a copy). */
    private VectorSchemaRoot oneRoot() {
        return batches.size() == 1 ? loaded(batches.get(0)) : BatchJoin.join(schema, batches, allocator);
    }

    /** One root per batch, over the received buffers; the caller closes each. */
    List<VectorSchemaRoot> roots() {
        List<VectorSchemaRoot> roots = new ArrayList<>(batches.size());
        try {
            for (ArrowRecordBatch batch : batches) {
                roots.add(loaded(batch));
            }
            return roots;
        } catch (RuntimeException | Error e) {
            roots.forEach(VectorSchemaRoot::close);
            throw e;
        }
    }

    /** Whether the tensor's host view starts at the column's data buffer: the tensor is the received memory. */
    private static boolean isOver(Tensor tensor, FixedShapeTensorVector column) {
        FieldVector elements = column.getUnderlyingVector().getDataVector();
        FieldVector storage = elements instanceof org.apache.arrow.vector.ExtensionTypeVector<?> extension
                ? extension.getUnderlyingVector() : elements;
        try (HostArray view = tensor.toHost(CopyPolicy.NEVER, Access.READ_ONLY)) {
            return MemoryUtil.getByteBufferAddress(view.asByteBuffer()) == storage.getDataBuffer().memoryAddress();
        } catch (CopyRequiredException deviceMemory) {
            return false;
        }
    }

    private VectorSchemaRoot loaded(ArrowRecordBatch batch) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            new VectorLoader(root).load(batch);
            return root;
        } catch (RuntimeException | Error e) {
            root.close();
            throw e;
        }
    }

    @Override
    public void close() {
        batches.forEach(ArrowRecordBatch::close);
        batches.clear();
    }
}
