package org.tensorbridge.arrow;

import org.apache.arrow.vector.compression.CompressionUtil.CodecType;

/**
 * How {@link TensorIpc} compresses the bodies of the IPC it writes: not at all, or buffer by buffer
 * with one of the two codecs the Arrow format defines ({@code lz4_frame}, pyarrow's Feather default,
 * and {@code zstd}). Reading takes all three whatever this says. Compression and decompression are
 * copies: a tensor imported from a compressed batch is over the decompressed buffer, not the file.
 */
public enum IpcCompression {
    /** Bodies as they are: reading can share the batch's buffers. */
    NONE(CodecType.NO_COMPRESSION),
    /** LZ4 frame format, per buffer. */
    LZ4_FRAME(CodecType.LZ4_FRAME),
    /** Zstandard, per buffer, at the codec's default level. */
    ZSTD(CodecType.ZSTD);

    private final CodecType codecType;

    IpcCompression(CodecType codecType) {
        this.codecType = codecType;
    }

    CodecType codecType() {
        return codecType;
    }
}
