package io.charter.common.transport.frame;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of frames still arriving that a server sets aside across all its connections. A frame's
 * declared length is reserved when its first bytes arrive without the rest, and released when it is
 * complete or its connection closes; a frame that does not fit is refused, so callers that start
 * large frames and never finish them cannot make the server hold more than this in total.
 */
public final class FrameBudget {

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    public FrameBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a frame budget must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    boolean tryReserve(long bytes) {
        while (true) {
            long current = reserved.get();
            if (current + bytes > capacity) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved right now. */
    public long reserved() {
        return reserved.get();
    }

    public long capacity() {
        return capacity;
    }
}
