package org.tensorbridge.arrow;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * The codecs {@link TensorIpc} reads and writes IPC bodies with: Arrow's zstd codec from
 * {@code arrow-compression}, and its lz4_frame codec with bounded decompression ({@link BoundedLz4Codec}).
 * Stateless and thread-safe.
 */
final class IpcCodecs implements CompressionCodec.Factory {
    static final IpcCodecs INSTANCE = new IpcCodecs();

    private IpcCodecs() {
    }

    @Override
    public CompressionCodec createCodec(CodecType codecType) {
        return switch (codecType) {
            case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
            case LZ4_FRAME -> new BoundedLz4Codec();
            case ZSTD -> CommonsCompressionFactory.INSTANCE.createCodec(codecType);
        };
    }

    @Override
    public CompressionCodec createCodec(CodecType codecType, int compressionLevel) {
        return codecType == CodecType.ZSTD ? CommonsCompressionFactory.INSTANCE.createCodec(codecType, compressionLevel)
                : createCodec(codecType);
    }
}
