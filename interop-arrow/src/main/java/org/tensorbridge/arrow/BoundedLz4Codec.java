package org.tensorbridge.arrow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.compression.Lz4CompressionCodec;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * Arrow's lz4_frame codec with decompression bounded by the length each buffer declares. Arrow's own
 * {@code Lz4CompressionCodec.doDecompress} inflates the whole frame onto the Java heap, however long it
 * turns out, before the allocator is asked for anything (so a small frame can exhaust the heap whatever
 * the allocator's limit), and it trusts the declared length over the frame: its result says it holds the
 * declared number of bytes whatever the frame held ({@code ArrowValidationGapsTest} fails once Arrow
 * checks). Here the result is allocated from the allocator at the declared length first (its limit
 * applies), the frame is inflated into it in chunks, and a frame longer or shorter than declared is
 * refused with the result freed. Compression is Arrow's. Stateless and thread-safe.
 */
final class BoundedLz4Codec extends Lz4CompressionCodec {
    private static final int CHUNK = 1 << 16;

    @Override
    protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
        long declared = readUncompressedLength(compressed);
        if (declared < 0) {
            throw new IllegalArgumentException("an lz4_frame buffer declares " + declared + " uncompressed bytes");
        }
        long frameLength = compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
        if (frameLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an lz4_frame buffer of " + frameLength + " bytes is over 2 GiB");
        }
        byte[] frame = new byte[(int) frameLength];
        compressed.getBytes(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, frame);
        ArrowBuf result = allocator.buffer(declared);
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame))) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(declared, 1))];
            long written = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (n > declared - written) {
                    throw new IllegalArgumentException("an lz4_frame buffer inflates to more than the " + declared
                            + " bytes it declares");
                }
                result.setBytes(written, chunk, 0, n);
                written += n;
            }
            if (written != declared) {
                throw new IllegalArgumentException("an lz4_frame buffer inflates to " + written + " bytes but declares "
                        + declared);
            }
            result.writerIndex(declared);
            return result;
        } catch (IOException | RuntimeException e) {
            result.close();
            throw e instanceof RuntimeException r ? r
                    : new IllegalArgumentException("an lz4_frame buffer cannot be inflated: " + e.getMessage(), e);
        }
    }
}
