package org.tensorbridge.flight;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The names a server publishes. A name is published, replaced or removed in one step: a reader sees the
 * old entry or the new one, never a mix, and never an entry still being received. Replaced and removed
 * entries are released here; streams that still send them hold their own reference. Thread-safe.
 */
final class PublishedStore {
    private final ConcurrentSkipListMap<String, Published> entries = new ConcurrentSkipListMap<>();
    private boolean closed;

    /**
     * Publishes {@code entry} under its name, replacing (and releasing) what was there. Takes over the
     * caller's reference.
     *
     * @throws IllegalStateException if the store is closed; the entry is released
     */
    void put(Published entry) {
        synchronized (this) {
            if (closed) {
                entry.release();
                throw new IllegalStateException("the server is closed; nothing more can be published");
            }
            Published old = entries.put(entry.info().name(), entry);
            if (old != null) {
                old.release();
            }
        }
    }

    /** The entry published as {@code name}, with a reference the caller releases; {@code null} if none. */
    Published acquire(String name) {
        while (true) {
            Published entry = entries.get(name);
            if (entry == null) {
                return null;
            }
            if (entry.acquire()) {
                return entry;
            }
            // Replaced and released between the lookup and acquire: look again.
        }
    }

    /** Removes {@code name}; {@code false} if it was not published. */
    boolean remove(String name) {
        synchronized (this) {
            Published old = entries.remove(name);
            if (old == null) {
                return false;
            }
            old.release();
            return true;
        }
    }

    /** Every entry, in name order, each with a reference the caller releases. */
    List<Published> acquireAll() {
        List<Published> all = new ArrayList<>();
        for (String name : entries.keySet()) {
            Published entry = acquire(name);
            if (entry != null) {
                all.add(entry);
            }
        }
        return all;
    }

    /** The published names, in order. */
    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** Releases every entry; later puts are refused. */
    void close() {
        synchronized (this) {
            closed = true;
            entries.values().forEach(Published::release);
            entries.clear();
        }
    }
}
