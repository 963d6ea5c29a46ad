package org.tensorbridge.memory;

/**
 * A host block that a backend lends for one copy (pinned host memory, say) and takes back when the
 * {@link HostStorage} over it is freed ({@link HostStorage#lentForCopy}). The storage tells it exactly
 * once which way the block comes back:
 * <ul>
 *   <li>{@link #reuse()}: no {@code ByteBuffer} over the block ever left the library, so nothing can
 *       reach it any more and the lender may lend it again at once, or free it;</li>
 *   <li>{@link #abandon()}: a buffer over the block was handed out ({@code HostArray.asByteBuffer()})
 *       and may still be reachable. The lender must neither lend the block again nor free its memory
 *       while any such buffer is reachable: a stale buffer then reads stale bytes, as over any other
 *       copy's memory, and never another copy's bytes or unmapped memory.</li>
 * </ul>
 * Called on the thread that released the storage's last reference; must not throw.
 */
public interface LentBlock {
    /** The block is back and unseen: lend it again or free it. */
    void reuse();

    /** The block is back but a buffer over it escaped: keep its memory valid while that buffer is reachable. */
    void abandon();
}
