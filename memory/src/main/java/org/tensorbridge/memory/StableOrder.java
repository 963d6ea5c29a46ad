package org.tensorbridge.memory;

/** The permutation that sorts long keys, stable, without boxing: a merge sort of positions. */
public final class StableOrder {
    private StableOrder() {
    }

    /** Positions of {@code keys} in ascending key order; equal keys keep their order. */
    public static int[] of(long[] keys) {
        int n = keys.length;
        int[] order = new int[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && keys[i - 1] > keys[i]) {
                sorted = false;
            }
        }
        if (sorted) {
            return order;
        }
        int[] scratch = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int left = 0; left < n; left += 2 * width) {
                int middle = Math.min(left + width, n);
                int right = Math.min(left + 2 * width, n);
                int i = left;
                int j = middle;
                int k = left;
                while (i < middle && j < right) {
                    scratch[k++] = keys[order[j]] < keys[order[i]] ? order[j++] : order[i++];
                }
                while (i < middle) {
                    scratch[k++] = order[i++];
                }
                while (j < right) {
                    scratch[k++] = order[j++];
                }
            }
            int[] swap = order;
            order = scratch;
            scratch = swap;
        }
        return order;
    }
}
